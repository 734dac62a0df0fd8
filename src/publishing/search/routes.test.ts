import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { AppContext } from '../../platform/context.ts';
import { refreshSearchEntry } from './index-entry.ts';
import { addArticle } from './testing.ts';

// /search over HTTP on the real app, with the demo issue seeded (and indexed) at start-up.

describeEachDatabase('/search', ({ handle }) => {
  let app: FastifyInstance;
  let ctx: AppContext;
  beforeEach(async () => {
    ({ app, ctx } = await createTestApp(handle()));
  });
  afterEach(async () => {
    await app.close();
  });
  const get = (url: string) => app.inject({ url });

  it('shows only the form when there is no query', async () => {
    const response = await get('/search');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<form class="usa-search[^"]*"[^>]*role="search"/);
    expect(response.body).toContain('<label class="usa-sr-only" for="search-q">');
    expect(response.body).not.toContain('search-results-heading');
  });

  it('finds the seeded demo article for "MOU", highlighted, with the count in a status region', async () => {
    const response = await get('/search?q=MOU');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/articles/x-chat-school-resource-officer-mou"');
    expect(response.body).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    expect(response.body).toContain('<mark>MOU</mark>');
    expect(response.body).toMatch(/<div role="status"><h2 id="search-results-heading">\d+ results? for “MOU”<\/h2>/);
    expect(response.body).toContain('usa-tag">Article</li>');
  });

  it('filters by kind and topic with plain GET parameters', async () => {
    const events = await get('/search?q=MOU&kind=event');
    expect(events.statusCode).toBe(200);
    expect(events.body).toContain('href="/events/rems-chat-with-an-expert-sro-mou-2024-01-22"');
    expect(events.body).not.toContain('href="/articles/');
    expect(events.body).toMatch(/<option value="event" selected/);

    const resources = await get('/search?q=school&kind=resource&topic=partnerships');
    expect(resources.statusCode).toBe(200);
    expect(resources.body).toContain('href="https://rems.ed.gov/"');
    expect(resources.body).not.toContain('href="https://cops.usdoj.gov/"');
  });

  it('refuses a bad page, kind or topic with 400 and a message', async () => {
    for (const url of ['/search?q=MOU&page=abc', '/search?q=MOU&page=0', '/search?q=MOU&page=99999', '/search?q=MOU&page=1&page=2']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).toContain('The page number must be a whole number from 1 to 1000.');
    }
    const kind = await get('/search?q=MOU&kind=issue');
    expect(kind.statusCode).toBe(400);
    expect(kind.body).toContain('Choose articles, events or resources.');
    const topic = await get('/search?q=MOU&topic=no-such-topic');
    expect(topic.statusCode).toBe(400);
    expect(topic.body).toContain('There is no such topic.');
  });

  it('echoes hostile queries escaped and answers 200', async () => {
    const q = '<script>alert(1)</script> " OR NEAR(';
    const response = await get(`/search?q=${encodeURIComponent(q)}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert(1)');
    expect(response.body).toContain('&lt;script>alert(1)&lt;/script>');
    const long = await get(`/search?q=${encodeURIComponent('mou '.repeat(2500))}`);
    expect(long.statusCode).toBe(200);
  });

  it('pages with links that keep the query and filters', async () => {
    for (let i = 0; i < 12; i++) {
      const article = await addArticle(ctx.db, { title: `Patrol notes ${i}`, body: 'Foot patrol along the corridor.' });
      await refreshSearchEntry(ctx, { kind: 'article', id: article.id });
    }
    const first = await get('/search?q=patrol&kind=article');
    expect(first.body).toContain('12 results for “patrol”');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/search?q=patrol&amp;kind=article&amp;page=2"');
    const second = await get('/search?q=patrol&kind=article&page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body.match(/class="usa-collection__item"/g)).toHaveLength(2);
    expect(second.body).toContain('href="/search?q=patrol&amp;kind=article"');
    const past = await get('/search?q=patrol&page=5');
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('Go to the first page');
  });
});
