import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { AppError } from '../../../platform/errors.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../../platform/settings/site-settings.ts';
import { editorActor, editorialTestApp, publisherActor, signedIn } from '../test-support.ts';
import { createIssue } from './create-issue.ts';
import { defaultVolume } from './issue-form.ts';
import { publishIssue } from './publish-issue.ts';
import { unpublishIssue } from './unpublish-issue.ts';

const DEMO_ISSUE = 'demo-issue-2024-01';

describeEachDatabase('issues', ({ handle }) => {
  it('takes the volume from the year and the Year of Volume 1 setting, and the number from the month', async () => {
    const test = await editorialTestApp(handle());
    const { ctx } = test;
    expect(defaultVolume(2024, 2008)).toBe(17);
    const id = await createIssue(ctx, { form: { month: '2025-03', volume: '', number: '' }, actor: editorActor });
    expect(
      await ctx.db
        .selectFrom('publishing_issues')
        .select(['volume', 'number', 'month', 'status'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      volume: 18,
      number: 3,
      month: '2025-03-01',
      status: 'draft',
    });
    await saveSiteSettings(ctx.db, ctx.clock, { ...defaultSiteSettings, firstVolumeYear: 2010 });
    const other = await createIssue(ctx, { form: { month: '2024-02', volume: '', number: '' }, actor: editorActor });
    expect(await ctx.db.selectFrom('publishing_issues').select('volume').where('id', '=', other).executeTakeFirstOrThrow()).toEqual({
      volume: 15,
    });
    // Typed values win over the defaults.
    const typed = await createIssue(ctx, { form: { month: '2024-02', volume: '40', number: '7' }, actor: editorActor });
    expect(
      await ctx.db.selectFrom('publishing_issues').select(['volume', 'number']).where('id', '=', typed).executeTakeFirstOrThrow(),
    ).toEqual({
      volume: 40,
      number: 7,
    });
    await test.close();
  });

  it('refuses a volume and number already used as a field error, keeping the input and writing nothing', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    // The demo issue is Volume 17, Issue 1 (January 2024).
    const response = await browser.submit('/admin/issues/new', '/admin/issues', { month: '2024-01', volume: '', number: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Volume 17 already has an Issue 1.');
    expect(response.body).toContain('value="2024-01"');
    const bad = await browser.submit('/admin/issues/new', '/admin/issues', { month: '2024-13', volume: 'x', number: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the month as YYYY-MM');
    expect(bad.body).toContain('Enter the volume as a whole number');
    expect(await test.ctx.db.selectFrom('publishing_issues').select('id').execute()).toEqual([{ id: DEMO_ISSUE }]);
    await test.close();
  });

  it('publishes and unpublishes only for publishers, and says so when there is nothing to do', async () => {
    const test = await editorialTestApp(handle());
    const { ctx } = test;
    const editor = await signedIn(test.app, ctx, 'editor');
    const publisher = await signedIn(test.app, ctx, 'publisher');
    const created = await editor.browser.submit('/admin/issues/new', '/admin/issues', { month: '2026-05', volume: '', number: '' });
    expect(created.statusCode).toBe(303);
    const path = created.headers.location!.split('?')[0]!;
    const id = path.split('/').at(-1)!;
    expect((await editor.browser.submit(path, `${path}/publish`, {})).statusCode).toBe(403);
    await expect(publishIssue(ctx, { issueId: id, actor: editorActor })).rejects.toThrow(AppError);
    expect((await publisher.browser.submit(path, `${path}/publish`, {})).statusCode).toBe(303);
    expect((await ctx.db.selectFrom('publishing_issues').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe(
      'published',
    );
    expect((await publisher.browser.submit(path, `${path}/publish`, {})).statusCode).toBe(409);
    await unpublishIssue(ctx, { issueId: id, actor: publisherActor });
    await expect(unpublishIssue(ctx, { issueId: id, actor: publisherActor })).rejects.toMatchObject({ code: 'CONFLICT' });
    const actions = await ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['issue.created', 'issue.published', 'issue.unpublished']);
    await test.close();
  });

  it('edits the seeded demo issue like any other (a publisher, since it is published)', async () => {
    const test = await editorialTestApp(handle());
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const path = `/admin/issues/${DEMO_ISSUE}`;
    const page = await publisher.browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    expect((await editor.browser.submit(path, path, { month: '2024-01', volume: '17', number: '2' })).statusCode).toBe(403);
    expect((await publisher.browser.submit(path, path, { month: '2024-01', volume: '17', number: '2' })).statusCode).toBe(303);
    expect(
      await test.ctx.db
        .selectFrom('publishing_issues')
        .select(['volume', 'number', 'status'])
        .where('id', '=', DEMO_ISSUE)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      volume: 17,
      number: 2,
      status: 'published',
    });
    expect((await publisher.browser.get('/admin/issues')).body).toContain('Volume 17, Issue 2 (January 2024)');
    await test.close();
  });
});
