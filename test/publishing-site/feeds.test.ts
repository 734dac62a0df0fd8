import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { sitemapXml } from '../../src/publishing/site/build-sitemap.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { openApp } from './app.ts';
import { DEMO, insertArticle, insertEvent, insertIssue } from './fixtures.ts';

// Our output read back by parsers that share no code with the generators.

const BASE = 'https://dispatch.example.gov';
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name, path) => ['item', 'entry', 'url'].includes(name) || path === 'feed.link' || path === 'feed.entry.link',
});

/** Decodes the HTML entities Atom's type="html" text carries. */
const htmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

// Two "]]>" in a row would end the feed library's CDATA section at the second one.
const HOSTILE = 'Break ]]> out ]]><injected>x</injected> & <b>bold</b>';

async function withArticles(database: Parameters<typeof openApp>[0]) {
  // After all of them: an article dated after "now" is not published yet.
  const opened = await openApp(database, { publicUrl: BASE, now: new Date('2024-03-15T00:00:00.000Z') });
  const db = opened.ctx.db;
  // 35 more published articles, one a day in February 2024: the feed keeps the newest 30.
  for (let day = 1; day <= 35; day++) {
    const date = new Date(Date.UTC(2024, 1, day, 9)).toISOString();
    await insertArticle(db, { slug: `daily-${day}`, title: `Daily ${day}`, publishedAt: date, body: `Day **${day}**` });
  }
  await insertArticle(db, { slug: 'hostile', title: HOSTILE, summary: 'Sum <i>mary</i>', publishedAt: '2024-03-10T09:00:00.000Z' });
  await insertArticle(db, { slug: 'never-shown', title: 'Never shown', status: 'draft', publishedAt: null });
  await insertArticle(db, { slug: 'not-yet', title: 'Not yet', publishedAt: '2030-01-01T00:00:00.000Z' });
  return opened;
}

describeEachDatabase('feeds, sitemap and calendar files', ({ handle }) => {
  it('RSS 2.0: newest 30 published articles with absolute links and dates', async () => {
    const { get } = await withArticles(handle());
    const response = await get('/feed.xml');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const channel = xml.parse(response.body).rss.channel;
    expect(channel.title).toBe('Community Policing Dispatch');
    expect(channel.link).toBe(`${BASE}/`);
    const items = channel.item as {
      title: string;
      link: string;
      pubDate: string;
      guid: { '#text': string };
      'content:encoded': string;
      'dc:creator': string;
    }[];
    expect(items).toHaveLength(30);
    expect(items[0]?.title).toBe(HOSTILE.replaceAll(']]>', ']]&gt;'));
    expect(items[0]?.link).toBe(`${BASE}/articles/hostile`);
    expect(new Date(items[0]?.pubDate ?? '').toISOString()).toBe('2024-03-10T09:00:00.000Z');
    expect(items[1]?.title).toBe('Daily 35');
    expect(items[29]?.title).toBe('Daily 7');
    expect(items[1]?.['content:encoded']).toContain('<strong>35</strong>');
    expect(items[1]?.guid['#text']).toMatch(/^tag:dispatch\.example\.gov,2024:article:/);
    const titles = items.map((i) => i.title);
    expect(titles).not.toContain('Never shown');
    expect(titles).not.toContain('Not yet');
    // The hostile title stayed text: no element of its own appeared in the item.
    expect(Object.keys(items[0] ?? {})).not.toContain('injected');
    expect(items[1]).toMatchObject({ 'dc:creator': 'Community Policing Dispatch' });
  });

  it('Atom 1.0: entries with links, ids, updated and published dates, and HTML-escaped titles', async () => {
    const { get } = await withArticles(handle());
    const response = await get('/atom.xml');
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = xml.parse(response.body).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.link.map((l: { '@rel': string; '@href': string }) => [l['@rel'], l['@href']])).toEqual([
      ['alternate', `${BASE}/`],
      ['self', `${BASE}/atom.xml`],
    ]);
    const entries = feed.entry as {
      title: { '#text': string };
      link: { '@href': string }[];
      published: string;
      updated: string;
      id: string;
    }[];
    expect(entries).toHaveLength(30);
    expect(htmlText(entries[0]?.title['#text'] ?? '')).toBe(HOSTILE);
    expect(entries[1]?.link[0]?.['@href']).toBe(`${BASE}/articles/daily-35`);
    // Day 35 of February is March 6.
    expect(entries[1]?.published).toBe('2024-03-06T09:00:00.000Z');
    expect(entries[1]?.updated).toBe('2024-03-06T09:00:00.000Z');
    expect(new Set(entries.map((e) => e.id)).size).toBe(30);
    expect(feed.updated).toBe('2024-03-10T09:00:00.000Z');
  });

  it('JSON Feed 1.1: version, items, absolute URLs, HTML content and summaries', async () => {
    const { get } = await withArticles(handle());
    const response = await get('/feed.json');
    expect(response.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = JSON.parse(response.body);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.home_page_url).toBe(`${BASE}/`);
    expect(feed.feed_url).toBe(`${BASE}/feed.json`);
    expect(feed.items).toHaveLength(30);
    const [hostile, latest] = feed.items;
    expect(hostile.title).toBe(HOSTILE);
    expect(hostile.summary).toBe('Sum <i>mary</i>');
    expect(latest.url).toBe(`${BASE}/articles/daily-35`);
    expect(latest.content_html).toContain('<strong>35</strong>');
    expect(latest.date_published).toBe('2024-03-06T09:00:00.000Z');
    expect(latest.authors).toEqual([{ name: 'Community Policing Dispatch', url: `${BASE}/` }]);
  });

  it('the demo article in the feeds carries its byline and topics', async () => {
    const { get } = await openApp(handle(), { publicUrl: BASE });
    const feed = JSON.parse((await get('/feed.json')).body);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0].title).toBe(DEMO.articleTitle);
    expect(feed.items[0].authors).toEqual([{ name: 'COPS Office' }]);
    expect(feed.items[0].tags).toEqual(['Partnerships', 'School safety']);
  });

  it('sitemap.xml lists every public page with lastmod, and nothing unpublished', async () => {
    const { get, ctx } = await openApp(handle(), { publicUrl: BASE });
    const draftIssue = await insertIssue(ctx.db, { volume: 17, number: 2, month: '2024-02-01', status: 'draft' });
    await insertArticle(ctx.db, { slug: 'draft-story', status: 'draft', issueId: draftIssue });
    await insertEvent(ctx.db, { slug: 'draft-event', startsAt: '2024-02-01T00:00:00.000Z', status: 'draft' });
    const response = await get('/sitemap.xml');
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    const urls = xml.parse(response.body).urlset.url as { loc: string; lastmod?: string }[];
    const locs = urls.map((u) => u.loc);
    expect(locs).toEqual([
      `${BASE}/`,
      `${BASE}/issues`,
      `${BASE}/issues/17/1`,
      `${BASE}/articles/${DEMO.articleSlug}`,
      `${BASE}/topics`,
      `${BASE}/topics/events`,
      `${BASE}/topics/partnerships`,
      `${BASE}/topics/school-safety`,
      `${BASE}/events`,
      `${BASE}/events/${DEMO.eventSlug}`,
      `${BASE}/resources`,
    ]);
    for (const url of urls) expect(Number.isNaN(Date.parse(url.lastmod ?? '')), url.loc).toBe(false);
  });
});

describe('sitemapXml', () => {
  it('escapes what it prints', () => {
    const text = sitemapXml('https://x.example', [{ path: '/a?b=1&c=<2>', lastmod: undefined }]);
    expect(xml.parse(text).urlset.url[0].loc).toBe('https://x.example/a?b=1&c=<2>');
    expect(text).not.toContain('lastmod');
  });
});
