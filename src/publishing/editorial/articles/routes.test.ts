import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { FixedClock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/database.ts';
import { articleForm, articlePairs, editorialTestApp, signedIn, submitPairs } from '../test-support.ts';

const DEMO_ARTICLE = 'demo-article-sro-mou-x-chat';
const count = async (db: Db, table: 'publishing_articles' | 'publishing_article_revisions') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEachDatabase('the article pages', ({ handle }) => {
  it('creates an article from the form, with a slug made from the title and the chosen topics', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const form = articleForm({ title: 'Café Talks: Trust & Safety', topics: ['demo-topic-partnerships', 'demo-topic-school-safety'] });
    const created = await submitPairs(browser, '/admin/articles/new', '/admin/articles', articlePairs(form));
    expect(created.statusCode).toBe(303);
    const id = created.headers.location?.match(/^\/admin\/articles\/([0-9a-f-]{36})\?notice=created$/)?.[1];
    expect(id).toBeDefined();
    const row = await test.ctx.db.selectFrom('publishing_articles').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slug: 'cafe-talks-trust-safety', status: 'draft', authors: 'Jane Doe, John Roe', issue_id: null });
    const topics = await test.ctx.db.selectFrom('publishing_article_topics').select('topic_id').where('article_id', '=', id!).execute();
    expect(topics.map((t) => t.topic_id).sort()).toEqual(['demo-topic-partnerships', 'demo-topic-school-safety']);
    const page = await browser.get(`/admin/articles/${id}?notice=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Article saved as a draft.');
    expect(page.body).toContain('Submit for review');
    // An editor is not offered publishing.
    expect(page.body).not.toContain('Publish now');
    await test.close();
  });

  it('re-shows a failed form with every error and the input kept, and writes nothing', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const before = await count(test.ctx.db, 'publishing_articles');
    const form = articleForm({
      title: 'A title kept <as typed>',
      slug: 'Not A Slug!',
      summary: '',
      additionalResources: 'COPS Office | javascript:alert(1)',
      position: 'first',
    });
    const response = await submitPairs(browser, '/admin/articles/new', '/admin/articles', articlePairs(form));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="A title kept &lt;as typed>"');
    expect(response.body).toContain('Enter a summary.');
    expect(response.body).toContain('Use only lowercase letters, digits and hyphens');
    expect(response.body).toContain('Line 1: the address must start with https:// or http://.');
    expect(response.body).toContain('Enter the position as a whole number');
    expect(response.body).toContain('href="#field-slug"');
    expect(await count(test.ctx.db, 'publishing_articles')).toBe(before);
    expect(await count(test.ctx.db, 'publishing_article_revisions')).toBe(0);
    await test.close();
  });

  it('refuses a slug another article uses as a field error', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const response = await submitPairs(
      browser,
      '/admin/articles/new',
      '/admin/articles',
      articlePairs(articleForm({ slug: 'x-chat-school-resource-officer-mou' })),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Another article already uses the slug “x-chat-school-resource-officer-mou”.');
    await test.close();
  });

  it('previews the Markdown below the form without saving anything', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const form = articleForm({ body: 'Some **bold** words.\n\n<script>alert(1)</script>' });
    const response = await submitPairs(browser, '/admin/articles/new', '/admin/articles', articlePairs(form, 'preview'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Preview (not saved)');
    expect(response.body).toContain('<strong>bold</strong>');
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(await count(test.ctx.db, 'publishing_articles')).toBe(1); // only the demo article
    await test.close();
  });

  it('lets a publisher publish over HTTP but answers an editor 403, changing nothing', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(new Date('2026-03-01T12:00:00Z')) });
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const created = await submitPairs(editor.browser, '/admin/articles/new', '/admin/articles', articlePairs(articleForm()));
    const path = created.headers.location!.split('?')[0]!;
    expect((await editor.browser.submit(path, `${path}/submit`, {})).statusCode).toBe(303);
    const refused = await editor.browser.submit(path, `${path}/publish`, {});
    expect(refused.statusCode).toBe(403);
    const refusedSchedule = await editor.browser.submit(path, `${path}/schedule`, {
      scheduleDate: '2026-03-02',
      scheduleTime: '09:00',
      scheduleTimeZone: 'UTC',
    });
    expect(refusedSchedule.statusCode).toBe(403);
    const status = async () =>
      (
        await test.ctx.db
          .selectFrom('publishing_articles')
          .select('status')
          .where('id', '=', path.split('/').at(-1)!)
          .executeTakeFirstOrThrow()
      ).status;
    expect(await status()).toBe('in_review');
    const page = await publisher.browser.get(path);
    expect(page.body).toContain('Publish now');
    const searchFinds = async () => (await publisher.browser.get('/search?q=rural')).body.includes('Community Policing in Rural Counties');
    expect(await searchFinds()).toBe(false);
    expect((await publisher.browser.submit(path, `${path}/publish`, {})).statusCode).toBe(303);
    expect(await status()).toBe('published');
    // The search index follows the state change.
    expect(await searchFinds()).toBe(true);
    // Publishing twice is a conflict, explained.
    const twice = await publisher.browser.submit(path, `${path}/publish`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('This article is published.');
    await test.close();
  });

  it('schedules from the form and re-shows a past time as a field error', async () => {
    const test = await editorialTestApp(handle(), { clock: new FixedClock(new Date('2026-03-01T12:00:00Z')) });
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const created = await submitPairs(publisher.browser, '/admin/articles/new', '/admin/articles', articlePairs(articleForm()));
    const path = created.headers.location!.split('?')[0]!;
    await publisher.browser.submit(path, `${path}/submit`, {});
    const past = await publisher.browser.submit(path, `${path}/schedule`, {
      scheduleDate: '2026-03-01',
      scheduleTime: '06:59',
      scheduleTimeZone: 'America/New_York',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('Choose a time in the future.');
    expect(past.body).toContain('value="06:59"');
    const ok = await publisher.browser.submit(path, `${path}/schedule`, {
      scheduleDate: '2026-03-01',
      scheduleTime: '07:30',
      scheduleTimeZone: 'America/New_York',
    });
    expect(ok.statusCode).toBe(303);
    const row = await test.ctx.db
      .selectFrom('publishing_articles')
      .select(['status', 'scheduled_for'])
      .where('id', '=', path.split('/').at(-1)!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'scheduled', scheduled_for: '2026-03-01T12:30:00.000Z' });
    await test.close();
  });

  it('edits the seeded demo article like any other, and shows its revisions and a reader preview', async () => {
    const test = await editorialTestApp(handle());
    const publisher = await signedIn(test.app, test.ctx, 'publisher');
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const path = `/admin/articles/${DEMO_ARTICLE}`;
    const page = await publisher.browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="x-chat-school-resource-officer-mou"');
    expect(page.body).toContain('REMS Technical Assistance Center | https://rems.ed.gov/');
    const form = articleForm({
      title: 'Join an X Chat on School Resource Officer MOUs',
      slug: 'x-chat-school-resource-officer-mou',
      issueId: 'demo-issue-2024-01',
      topics: ['demo-topic-school-safety'],
      additionalResources: 'REMS Technical Assistance Center | https://rems.ed.gov/',
    });
    // The demo article is published: an editor may not change it, a publisher may.
    expect((await submitPairs(editor.browser, path, path, articlePairs(form))).statusCode).toBe(403);
    expect((await submitPairs(publisher.browser, path, path, articlePairs(form))).statusCode).toBe(303);
    const row = await test.ctx.db.selectFrom('publishing_articles').selectAll().where('id', '=', DEMO_ARTICLE).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      title: form.title,
      status: 'published',
      additional_resources: '[{"title":"REMS Technical Assistance Center","url":"https://rems.ed.gov/"}]',
    });

    const history = await publisher.browser.get(`${path}/revisions`);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain(publisher.email);
    const revision = await test.ctx.db
      .selectFrom('publishing_article_revisions')
      .select('id')
      .where('article_id', '=', DEMO_ARTICLE)
      .executeTakeFirstOrThrow();
    const snapshot = await publisher.browser.get(`${path}/revisions/${revision.id}`);
    expect(snapshot.statusCode).toBe(200);
    expect(snapshot.body).toContain(form.title);
    expect((await publisher.browser.get(`${path}/revisions/999999`)).statusCode).toBe(404);
    expect((await publisher.browser.get(`${path}/revisions/abc`)).statusCode).toBe(400);

    const preview = await editor.browser.get(`${path}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('id="article-title"');
    expect(preview.body).toContain(form.title);
    await test.close();
  });

  it('previews a draft exactly as the public page would show it, while the public page still says 404', async () => {
    const test = await editorialTestApp(handle());
    const editor = await signedIn(test.app, test.ctx, 'editor');
    const created = await submitPairs(
      editor.browser,
      '/admin/articles/new',
      '/admin/articles',
      articlePairs(articleForm({ slug: 'draft-only' })),
    );
    const path = created.headers.location!.split('?')[0]!;
    const preview = await editor.browser.get(`${path}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Community Policing in Rural Counties');
    expect(preview.body).toContain('<h2>Lessons</h2>');
    expect((await editor.browser.get('/articles/draft-only')).statusCode).toBe(404);
    expect((await editor.browser.get('/admin/articles/not-a-real-id')).statusCode).toBe(404);
    expect((await editor.browser.get('/admin/articles?status=bogus')).statusCode).toBe(400);
    await test.close();
  });
});
