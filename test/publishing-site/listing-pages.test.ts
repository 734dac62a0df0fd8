import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.ts';
import { BEFORE_DEMO_EVENT, openApp } from './app.ts';
import { DEMO, insertArticle, insertEvent, insertResource, insertTopic } from './fixtures.ts';

/** The page's <main>, so assertions do not match the layout (header, footer). */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

/** The part of `page` from the link to `href` up to the next list item: one topic's entry. */
const entryOf = (page: string, href: string) => {
  const start = page.indexOf(`href="${href}"`);
  expect(start, href).toBeGreaterThan(-1);
  const end = page.indexOf('usa-collection__item', start);
  return page.slice(start, end === -1 ? undefined : end);
};

describeEachDatabase('topic index and paged events', ({ handle }) => {
  it('/topics lists every topic with its description and counts of published content', async () => {
    const { ctx, get } = await openApp(handle());
    const training = await insertTopic(ctx.db, { slug: 'training', name: 'Training', description: 'Courses & <drills>' });
    await insertArticle(ctx.db, { slug: 'course', topics: [training] });
    await insertArticle(ctx.db, { slug: 'unfinished', status: 'draft', topics: [training] });
    await insertResource(ctx.db, { title: 'Syllabus', topics: [training] });
    await insertResource(ctx.db, { title: 'Reading list', topics: [training] });
    await insertEvent(ctx.db, { slug: 'draft-drill', startsAt: '2024-02-01T00:00:00.000Z', status: 'draft', topics: [training] });

    const response = await get('/topics');
    expect(response.statusCode).toBe(200);
    const page = main(response.body);
    expect(page).toContain('<h1>Topics</h1>');
    for (const slug of ['events', 'partnerships', 'school-safety', 'training']) expect(page).toContain(`href="/topics/${slug}"`);
    // By name: "Partnerships" before "School safety" before "Training".
    expect(page.indexOf('/topics/partnerships')).toBeLessThan(page.indexOf('/topics/school-safety'));
    expect(page.indexOf('/topics/school-safety')).toBeLessThan(page.indexOf('/topics/training'));
    const entry = entryOf(page, '/topics/training');
    expect(entry).toContain('Courses &amp; &lt;drills>');
    expect(entry).toContain('>1 article<');
    expect(entry).toContain('>0 events<');
    expect(entry).toContain('>2 resources<');
    expect(page).toContain('School resource officers, school-based policing');
  });

  it('the topic page and article pages link to /topics', async () => {
    const { get } = await openApp(handle());
    expect(main((await get('/topics/school-safety')).body)).toContain('<a href="/topics">All topics</a>');
    const article = main((await get(`/articles/${DEMO.articleSlug}`)).body);
    const topicsSection = article.slice(article.indexOf('id="article-topics"'));
    expect(topicsSection).toContain('<a href="/topics">All topics</a>');
  });

  it('/events pages past events 20 at a time and keeps every upcoming event on each page', async () => {
    const { ctx, get } = await openApp(handle());
    // 25 past events before the clock (the demo event is still upcoming): pages of 20 and 5.
    for (let i = 1; i <= 25; i++) {
      const startsAt = new Date(BEFORE_DEMO_EVENT.getTime() - i * 86_400_000).toISOString();
      await insertEvent(ctx.db, { slug: `past-${i}`, title: `Past event number ${i}.`, startsAt });
    }

    const first = await get('/events');
    expect(first.statusCode).toBe(200);
    const one = main(first.body);
    expect(one).toContain('Past event number 20.');
    expect(one).not.toContain('Past event number 21.');
    expect(one).toContain('href="/events?page=2"');
    expect(one).toContain('Page 1 of 2');

    const second = await get('/events?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('<title>Events, past events page 2 of 2 |');
    const two = main(second.body);
    const past = two.slice(two.indexOf('Past events'));
    expect(past).toContain('Past event number 21.');
    expect(past).toContain('Past event number 25.');
    expect(past).not.toContain('Past event number 20.');
    expect(past).toContain('href="/events?page=1"');
    expect(past).not.toContain('href="/events?page=3"');
    expect(two.slice(two.indexOf('Upcoming events'), two.indexOf('Past events'))).toContain(DEMO.eventTitle);
  });

  it('/events refuses malformed page numbers (400) and pages past the last (404)', async () => {
    const { get } = await openApp(handle());
    for (const url of ['/events?page=abc', '/events?page=0', '/events?page=-1', '/events?page=1.5', '/events?page=1&page=2'])
      expect((await get(url)).statusCode, url).toBe(400);
    expect((await get('/events?page=1')).statusCode).toBe(200);
    expect((await get('/events?page=2')).statusCode).toBe(404);
  });
});
