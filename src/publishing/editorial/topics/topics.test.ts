import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.ts';
import { editorialTestApp, signedIn } from '../test-support.ts';

describeEachDatabase('topics', ({ handle }) => {
  it('are added by editors with a slug from the name, which must be free', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const created = await browser.submit('/admin/topics/new', '/admin/topics', { name: 'Officer Wellness', slug: '', description: '' });
    expect(created.statusCode).toBe(303);
    expect(
      await test.ctx.db.selectFrom('publishing_topics').select('slug').where('name', '=', 'Officer Wellness').executeTakeFirst(),
    ).toEqual({
      slug: 'officer-wellness',
    });
    const clash = await browser.submit('/admin/topics/new', '/admin/topics', {
      name: 'School Safety',
      slug: 'school-safety',
      description: '',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('Another topic already uses the slug “school-safety”.');
    expect(clash.body).toContain('value="School Safety"');
    await test.close();
  });

  it('when deleted, leave the articles, events and resources that used them, without the link', async () => {
    const test = await editorialTestApp(handle());
    const { browser } = await signedIn(test.app, test.ctx, 'editor');
    const { db } = test.ctx;
    const links = async () => ({
      articles: await db
        .selectFrom('publishing_article_topics')
        .select('topic_id')
        .where('topic_id', '=', 'demo-topic-school-safety')
        .execute(),
      events: await db
        .selectFrom('publishing_event_topics')
        .select('topic_id')
        .where('topic_id', '=', 'demo-topic-school-safety')
        .execute(),
      resources: await db
        .selectFrom('publishing_resource_topics')
        .select('topic_id')
        .where('topic_id', '=', 'demo-topic-school-safety')
        .execute(),
    });
    const before = await links();
    const uses = before.articles.length + before.events.length + before.resources.length;
    // The demo content tags an article, an event and resources with it.
    expect(Math.min(before.articles.length, before.events.length, before.resources.length)).toBeGreaterThan(0);
    const page = await browser.get('/admin/topics/demo-topic-school-safety');
    expect(page.body).toContain(`It is used by ${uses} items.`);
    const deleted = await browser.submit('/admin/topics/demo-topic-school-safety', '/admin/topics/demo-topic-school-safety/delete', {});
    expect(deleted.statusCode).toBe(303);
    expect(await links()).toEqual({ articles: [], events: [], resources: [] });
    expect(
      await db.selectFrom('publishing_topics').select('id').where('id', '=', 'demo-topic-school-safety').executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await db.selectFrom('publishing_articles').select('id').where('id', '=', 'demo-article-sro-mou-x-chat').executeTakeFirst(),
    ).toBeDefined();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_id', '=', 'demo-topic-school-safety')
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('topic.deleted');
    expect(JSON.parse(audit.details)).toMatchObject({ unlinked: uses });
    expect((await browser.get('/admin/topics/demo-topic-school-safety')).statusCode).toBe(404);
    await test.close();
  });
});
