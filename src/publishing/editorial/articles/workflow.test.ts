import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { createJobRunner } from '../../../jobs.ts';
import { FixedClock } from '../../../platform/clock.ts';
import { AppError } from '../../../platform/errors.ts';
import { createIssue } from '../issues/create-issue.ts';
import { articleForm, editorActor, editorialTestApp, publisherActor } from '../test-support.ts';
import { createArticle } from './create-article.ts';
import { publishArticle } from './publish-article.ts';
import { returnArticleToDraft } from './return-article-to-draft.ts';
import { scheduleArticle } from './schedule-article.ts';
import { submitArticle } from './submit-article.ts';
import { unpublishArticle } from './unpublish-article.ts';
import { updateArticle } from './update-article.ts';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

// 2026-01-10 16:00 UTC is 11:00 in New York (EST).
const start = new Date('2026-01-10T16:00:00.000Z');
const at = (date: string, time: string) => ({ date, time, timeZone: 'America/New_York' });

describeEachDatabase('the article workflow', ({ handle }) => {
  it('goes draft → in review → scheduled → published by the job, with a revision and an audit entry each step', async () => {
    const clock = new FixedClock(start);
    const test = await editorialTestApp(handle(), { clock });
    const { ctx } = test;
    const id = await createArticle(ctx, { form: articleForm(), actor: editorActor });
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    const { scheduledFor } = await scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-01-10', '12:30') });
    expect(scheduledFor).toBe('2026-01-10T17:30:00.000Z');

    const runner = await createJobRunner(ctx);
    clock.advance(60 * 60 * 1000); // 12:00: not due yet
    expect(await runner.runOnce()).toBe(0);
    clock.advance(30 * 60 * 1000); // 12:30: due
    expect(await runner.runOnce()).toBe(1);

    const article = await ctx.db.selectFrom('publishing_articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(article.status).toBe('published');
    expect(article.published_at).toBe('2026-01-10T17:30:00.000Z');
    expect(article.scheduled_for).toBeNull();
    const revisions = await ctx.db
      .selectFrom('publishing_article_revisions')
      .select(['change', 'author', 'snapshot'])
      .where('article_id', '=', id)
      .orderBy('id')
      .execute();
    expect(revisions.map((r) => [r.change, r.author])).toEqual([
      ['created', editorActor.email],
      ['submitted', editorActor.email],
      ['scheduled', publisherActor.email],
      ['published', 'system'],
    ]);
    expect(JSON.parse(revisions[2]!.snapshot)).toMatchObject({ status: 'scheduled', scheduled_for: '2026-01-10T17:30:00.000Z' });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'subject_id'])
      .where('subject_type', '=', 'article')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'article.created', actor: editorActor.email, subject_id: id },
      { action: 'article.submitted', actor: editorActor.email, subject_id: id },
      { action: 'article.scheduled', actor: publisherActor.email, subject_id: id },
      { action: 'article.published', actor: 'system', subject_id: id },
    ]);
    await test.close();
  });

  it('refuses transitions the workflow does not allow with a CONFLICT that says why', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(start) });
    const { ctx } = test;
    const id = await createArticle(ctx, { form: articleForm(), actor: editorActor });
    const publishDraft = await failure(publishArticle(ctx, { articleId: id, actor: publisherActor }));
    expect(publishDraft.code).toBe('CONFLICT');
    expect(publishDraft.message).toContain('Submit it for review');
    expect((await failure(unpublishArticle(ctx, { articleId: id, actor: publisherActor }))).code).toBe('CONFLICT');
    expect((await failure(returnArticleToDraft(ctx, { articleId: id, actor: editorActor }))).code).toBe('CONFLICT');
    expect((await failure(scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-02-01', '09:00') }))).code).toBe(
      'CONFLICT',
    );
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    const again = await failure(submitArticle(ctx, { articleId: id, actor: editorActor }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toBe('Only a draft can be submitted for review. This article is in review.');
    await publishArticle(ctx, { articleId: id, actor: publisherActor });
    expect((await failure(publishArticle(ctx, { articleId: id, actor: publisherActor }))).code).toBe('CONFLICT');
    expect((await failure(returnArticleToDraft(ctx, { articleId: id, actor: publisherActor }))).message).toContain('Unpublish it');
    await unpublishArticle(ctx, { articleId: id, actor: publisherActor });
    const row = await ctx.db
      .selectFrom('publishing_articles')
      .select(['status', 'published_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // Unpublished: a draft again, keeping the date it first appeared for a later republication.
    expect(row).toEqual({ status: 'draft', published_at: start.toISOString() });
    const changes = await ctx.db
      .selectFrom('publishing_article_revisions')
      .select('change')
      .where('article_id', '=', id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.change)).toEqual(['created', 'submitted', 'published', 'unpublished']);
    await test.close();
  });

  it('lets an editor submit and return, but never schedule, publish, unpublish or edit what is published', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(start) });
    const { ctx } = test;
    const id = await createArticle(ctx, { form: articleForm(), actor: editorActor });
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    await returnArticleToDraft(ctx, { articleId: id, actor: editorActor });
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    expect((await failure(publishArticle(ctx, { articleId: id, actor: editorActor }))).code).toBe('FORBIDDEN');
    expect((await failure(scheduleArticle(ctx, { articleId: id, actor: editorActor, when: at('2026-02-01', '09:00') }))).code).toBe(
      'FORBIDDEN',
    );
    await scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-02-01', '09:00') });
    // Cancelling a publisher's schedule is a publisher's decision too.
    expect((await failure(returnArticleToDraft(ctx, { articleId: id, actor: editorActor }))).code).toBe('FORBIDDEN');
    await publishArticle(ctx, { articleId: id, actor: publisherActor });
    expect((await failure(unpublishArticle(ctx, { articleId: id, actor: editorActor }))).code).toBe('FORBIDDEN');
    const edit = await failure(
      updateArticle(ctx, { articleId: id, form: articleForm({ title: 'Changed by an editor' }), actor: editorActor }),
    );
    expect(edit.code).toBe('FORBIDDEN');
    const row = await ctx.db.selectFrom('publishing_articles').select(['status', 'title']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'published', title: articleForm().title });
    await test.close();
  });

  it('ignores the stale job after a reschedule, and publishes at the new time only', async () => {
    const clock = new FixedClock(start);
    const test = await editorialTestApp(handle(), { clock });
    const { ctx } = test;
    const runner = await createJobRunner(ctx);
    const later = await createArticle(ctx, { form: articleForm({ title: 'Moved later' }), actor: editorActor });
    const earlier = await createArticle(ctx, { form: articleForm({ title: 'Moved earlier' }), actor: editorActor });
    for (const id of [later, earlier]) {
      await submitArticle(ctx, { articleId: id, actor: editorActor });
      await scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-01-10', '12:00') });
    }
    await scheduleArticle(ctx, { articleId: later, actor: publisherActor, when: at('2026-01-10', '14:00') });
    await scheduleArticle(ctx, { articleId: earlier, actor: publisherActor, when: at('2026-01-10', '11:30') });
    const status = async (id: string) =>
      (await ctx.db.selectFrom('publishing_articles').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    clock.set(new Date('2026-01-10T16:30:00.000Z')); // 11:30 ET
    expect(await runner.runOnce()).toBe(1);
    expect(await status(earlier)).toBe('published');
    clock.set(new Date('2026-01-10T17:00:00.000Z')); // 12:00 ET: both original jobs fall due
    expect(await runner.runOnce()).toBe(2);
    expect(await status(later)).toBe('scheduled');
    clock.set(new Date('2026-01-10T19:00:00.000Z')); // 14:00 ET
    expect(await runner.runOnce()).toBe(1);
    expect(await status(later)).toBe('published');
    const published = await ctx.db
      .selectFrom('publishing_article_revisions')
      .select('article_id')
      .where('change', '=', 'published')
      .execute();
    expect(published.map((p) => p.article_id).sort()).toEqual([later, earlier].sort());
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('name', '=', 'publishing.publish-scheduled')
      .execute();
    expect(jobs).toHaveLength(4);
    expect(jobs.every((j) => j.status === 'done' && j.last_error === null)).toBe(true);
    await test.close();
  });

  it('refuses a schedule in the past or at an impossible date as field errors, changing nothing', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(start) });
    const { ctx } = test;
    const id = await createArticle(ctx, { form: articleForm(), actor: editorActor });
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    const past = await failure(scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-01-10', '10:59') }));
    expect(past.fields).toEqual({ scheduleDate: expect.stringContaining('in the future') });
    const impossible = await failure(scheduleArticle(ctx, { articleId: id, actor: publisherActor, when: at('2026-02-30', '10:00') }));
    expect(Object.keys(impossible.fields)).toEqual(['scheduleDate']);
    expect(await ctx.db.selectFrom('jobs').select('id').where('name', '=', 'publishing.publish-scheduled').execute()).toEqual([]);
    const row = await ctx.db.selectFrom('publishing_articles').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('in_review');
    await test.close();
  });

  it('publishes a draft issue together with its first published article', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(start) });
    const { ctx } = test;
    const issueId = await createIssue(ctx, { form: { month: '2026-02', volume: '', number: '' }, actor: editorActor });
    const id = await createArticle(ctx, { form: articleForm({ issueId }), actor: editorActor });
    await submitArticle(ctx, { articleId: id, actor: editorActor });
    await publishArticle(ctx, { articleId: id, actor: publisherActor });
    const issue = await ctx.db
      .selectFrom('publishing_issues')
      .select(['status', 'published_at'])
      .where('id', '=', issueId)
      .executeTakeFirstOrThrow();
    expect(issue).toEqual({ status: 'published', published_at: start.toISOString() });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_id', '=', issueId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['issue.created', 'issue.published']);
    expect(JSON.parse(audit[1]!.details)).toEqual({ withArticle: id });
    await test.close();
  });
});
