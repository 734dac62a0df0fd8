import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { AppError } from '../../platform/errors.ts';
import { rebuildSearchIndex, refreshSearchEntry } from './index-entry.ts';
import { searchPublished } from './search-published.ts';
import { addArticle, addEvent, addResource, addTopic } from './testing.ts';

describeEachDatabase('searchPublished', ({ handle, engine }) => {
  const ctx = () => ({ db: handle().db, dialect: engine });
  const search = (q: string, more: { kind?: 'article' | 'event' | 'resource'; topic?: string; page?: number; pageSize?: number } = {}) =>
    searchPublished(ctx(), { q, page: 1, pageSize: 10, ...more });

  it('ranks a title match above a body match', async () => {
    const db = handle().db;
    // Inserted first, so an unranked (insertion-order) result would put it first.
    await addArticle(db, { title: 'Community events this spring', body: 'Partners signed a new memorandum about the curfew programme.' });
    await addArticle(db, { title: 'Writing a memorandum that lasts', body: 'Advice for districts and agencies.' });
    await rebuildSearchIndex(ctx());
    const page = await search('memorandum');
    expect(page.total).toBe(2);
    expect(page.results.map((r) => r.title)).toEqual(['Writing a memorandum that lasts', 'Community events this spring']);
  });

  it('highlights matches with <mark> and escapes markup found in the content', async () => {
    const db = handle().db;
    const { slug } = await addArticle(db, {
      title: 'Securing the newsletter',
      summary: 'How the team handles untrusted input.',
      body: 'An attacker once tried <script>alert("xss")</script> in a comment & the filter caught it.\n\nThe filter is strict.',
    });
    await rebuildSearchIndex(ctx());
    const [result] = (await search('attacker')).results;
    expect(result?.url).toBe(`/articles/${slug}`);
    expect(result?.snippetHtml).toContain('<mark>attacker</mark>');
    expect(result?.snippetHtml).toContain('&lt;script&gt;');
    expect(result?.snippetHtml).toContain('&amp;');
    expect(result?.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
  });

  it('finds a word however it is inflected, on both engines', async () => {
    await addArticle(handle().db, { title: 'Policing in schools', body: 'Officers and principals.' });
    await rebuildSearchIndex(ctx());
    expect((await search('police')).total).toBe(1);
  });

  it('filters by kind and by topic', async () => {
    const db = handle().db;
    const safety = await addTopic(db, 'school-safety', 'School safety');
    const wellness = await addTopic(db, 'officer-wellness', 'Officer wellness');
    await addArticle(db, { title: 'Drills that work', body: 'Lockdown drills in schools.', topics: [safety] });
    await addArticle(db, { title: 'Sleep and shift work', body: 'Drills for rest.', topics: [wellness] });
    await addEvent(db, { title: 'Webinar on drills', description: 'Planning drills with districts.', topics: [safety] });
    await addResource(db, { title: 'Drills toolkit', description: 'Templates.', url: 'https://example.gov/drills' });
    await rebuildSearchIndex(ctx());

    expect((await search('drills')).total).toBe(4);
    const events = await search('drills', { kind: 'event' });
    expect(events.results.map((r) => [r.kind, r.title])).toEqual([['event', 'Webinar on drills']]);
    expect(events.results[0]?.url).toMatch(/^\/events\/event-/);
    const resources = await search('drills', { kind: 'resource' });
    expect(resources.results.map((r) => r.url)).toEqual(['https://example.gov/drills']);
    const safe = await search('drills', { topic: 'school-safety' });
    expect(safe.results.map((r) => r.title).sort()).toEqual(['Drills that work', 'Webinar on drills']);
    const safeArticles = await search('drills', { topic: 'school-safety', kind: 'article' });
    expect(safeArticles.results.map((r) => r.title)).toEqual(['Drills that work']);
    await expect(search('drills', { topic: 'no-such-topic' })).rejects.toMatchObject({
      code: 'VALIDATION',
      fields: { topic: expect.any(String) },
    });
    // Topic names are searchable text too.
    expect((await search('wellness')).results.map((r) => r.title)).toEqual(['Sleep and shift work']);
  });

  it('pages through results in rank order with a stable total', async () => {
    const db = handle().db;
    for (let i = 0; i < 7; i++) {
      await addArticle(db, {
        title: `Bulletin ${i}`,
        body: 'Roll call notes for the evening shift.',
        publishedAt: `2024-01-0${i + 1}T00:00:00.000Z`,
      });
    }
    await rebuildSearchIndex(ctx());
    const pages = [
      await search('roll call', { pageSize: 3 }),
      await search('roll call', { pageSize: 3, page: 2 }),
      await search('roll call', { pageSize: 3, page: 3 }),
    ];
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    expect(pages.map((p) => p.results.length)).toEqual([3, 3, 1]);
    // Pages are slices of one ranking: together they are the single page of 10, each article once.
    const titles = pages.flatMap((p) => p.results.map((r) => r.title));
    const all = await search('roll call', { pageSize: 10 });
    expect(titles).toEqual(all.results.map((r) => r.title));
    expect(new Set(titles).size).toBe(7);
    const past = await search('roll call', { pageSize: 3, page: 4 });
    expect(past).toMatchObject({ total: 7, results: [] });
    await expect(search('roll call', { page: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(search('roll call', { pageSize: 1000 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('never finds unpublished content', async () => {
    const db = handle().db;
    await addArticle(db, { title: 'Draft on tasers', status: 'draft' });
    await addEvent(db, { title: 'Draft tasers webinar', status: 'draft' });
    await addResource(db, { title: 'Draft tasers guide', status: 'draft' });
    await addArticle(db, { title: 'Published on tasers' });
    expect(await rebuildSearchIndex(ctx())).toBe(1);
    expect((await search('tasers')).results.map((r) => r.title)).toEqual(['Published on tasers']);
  });

  it('refreshes one entry: indexed when published, removed when unpublished, updated when edited', async () => {
    const db = handle().db;
    const topic = await addTopic(db, 'training');
    const article = await addArticle(db, { title: 'Crisis intervention teams', status: 'draft', topics: [topic] });
    await refreshSearchEntry(ctx(), { kind: 'article', id: article.id });
    expect((await search('crisis')).total).toBe(0);

    await db
      .updateTable('publishing_articles')
      .set({ status: 'published', published_at: '2024-02-01T00:00:00.000Z' })
      .where('id', '=', article.id)
      .execute();
    await refreshSearchEntry(ctx(), { kind: 'article', id: article.id });
    expect((await search('crisis', { topic: 'training' })).total).toBe(1);

    await db.updateTable('publishing_articles').set({ title: 'De-escalation teams' }).where('id', '=', article.id).execute();
    await refreshSearchEntry(ctx(), { kind: 'article', id: article.id });
    expect((await search('crisis')).total).toBe(0);
    expect((await search('escalation', { topic: 'training' })).results.map((r) => r.title)).toEqual(['De-escalation teams']);

    await db.updateTable('publishing_articles').set({ status: 'draft' }).where('id', '=', article.id).execute();
    await refreshSearchEntry(ctx(), { kind: 'article', id: article.id });
    expect((await search('escalation')).total).toBe(0);
    // A row that no longer exists is simply absent from the index.
    await refreshSearchEntry(ctx(), { kind: 'event', id: 'no-such-event' });
  });

  it('rebuilds from scratch, dropping entries whose rows changed behind its back', async () => {
    const db = handle().db;
    const kept = await addArticle(db, { title: 'Youth diversion' });
    const gone = await addResource(db, { title: 'Youth mentoring guide' });
    expect(await rebuildSearchIndex(ctx())).toBe(2);
    await db.updateTable('publishing_resources').set({ status: 'draft' }).where('id', '=', gone.id).execute();
    expect((await search('youth')).total).toBe(2);
    expect(await rebuildSearchIndex(ctx())).toBe(1);
    expect(await rebuildSearchIndex(ctx())).toBe(1);
    expect((await search('youth')).results.map((r) => r.id)).toEqual([kept.id]);
  });

  it('treats operators and punctuation as words, and returns nothing for nothing', async () => {
    await addArticle(handle().db, { title: 'Body cameras and policy', body: 'Cameras near schools, not in classrooms.' });
    await addArticle(handle().db, { title: 'Cameras in classrooms', body: 'A pilot.' });
    await rebuildSearchIndex(ctx());
    expect((await search('"body cameras"')).results.map((r) => r.title)).toEqual(['Body cameras and policy']);
    expect((await search('cameras -classrooms')).total).toBe(0);
    expect((await search('pilot or policy')).total).toBe(2);
    expect((await search('title:cameras NEAR(body) AND *')).total).toBe(0);
    expect(await search('  !!! *** ')).toEqual({ query: '', total: 0, results: [] });
    expect(await search('-cameras')).toEqual({ query: '', total: 0, results: [] });
  });

  it('rejects an unknown kind', async () => {
    const error = await searchPublished(ctx(), { q: 'x', kind: 'issue' as never, page: 1, pageSize: 10 }).catch((e: AppError) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', fields: { kind: expect.any(String) } });
  });
});
