import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDocument } from '../../src/platform/http/render.ts';
import { defaultSiteSettings } from '../../src/platform/settings/site-settings.ts';
import type { PageContext } from '../../src/platform/views/page-context.ts';
import { durationLabel, eventKindLabel, eventWhenLabel, publishedDateLabel, safeHttpUrl, volumeYear } from '../../src/publishing/format.ts';
import { parseIssuePart, parseSlug } from '../../src/publishing/site/params.ts';
import type { ArticleRow, EventRow } from '../../src/publishing/site/published.ts';
import { parseHosts, parseLinks, splitAuthors } from '../../src/publishing/site/rows.ts';
import { ArticlePage } from '../../src/publishing/views/article-page.tsx';
import { EventPage } from '../../src/publishing/views/event-page.tsx';
import { bodyHtml, namesList } from '../../src/publishing/views/parts.tsx';

describe('formatting helpers', () => {
  it('labels event times in the event’s zone with a generic zone name', () => {
    expect(eventWhenLabel('2024-01-22T16:00:00.000Z', 'America/New_York')).toBe('Monday, January 22, 2024, 11:00 AM ET');
    // Summer time: the same label style, one hour's difference from UTC less.
    expect(eventWhenLabel('2024-07-01T15:00:00.000Z', 'America/New_York')).toBe('Monday, July 1, 2024, 11:00 AM ET');
    expect(eventWhenLabel('2024-01-22T16:00:00.000Z', 'America/Los_Angeles')).toBe('Monday, January 22, 2024, 8:00 AM PT');
  });

  it('durations, kinds, dates and volume years', () => {
    expect([45, 60, 90, 120, 61].map(durationLabel)).toEqual(['45 minutes', '1 hour', '1 hour 30 minutes', '2 hours', '1 hour 1 minute']);
    expect(['x_chat', 'webinar', 'in_person'].map(eventKindLabel)).toEqual(['X chat', 'Webinar', 'In person']);
    // 02:00 UTC on the 9th is still the 8th in Washington.
    expect(publishedDateLabel('2024-01-09T02:00:00.000Z')).toBe('January 8, 2024');
    expect(volumeYear(17, 2008)).toBe(2024);
  });

  it('keeps only http(s) URLs', () => {
    expect(safeHttpUrl('https://rems.ed.gov')).toBe('https://rems.ed.gov/');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'not a url', '', null, undefined])
      expect(safeHttpUrl(bad), String(bad)).toBeUndefined();
  });

  it('reads JSON columns defensively', () => {
    expect(
      parseLinks(
        JSON.stringify([{ title: 'A', url: 'https://a.example' }, { title: 'B', url: 'javascript:x' }, { url: 'https://c.example' }, 'x']),
      ),
    ).toEqual([{ title: 'A', url: 'https://a.example/' }]);
    expect(parseLinks('not json')).toEqual([]);
    expect(parseLinks('{"title":"not a list"}')).toEqual([]);
    expect(parseHosts(JSON.stringify([{ handle: '@a', name: 'A', url: 'vbscript:x' }, {}]))).toEqual([
      { handle: '@a', name: 'A', url: undefined },
    ]);
    expect(splitAuthors(' Jane Roe ,, Sam Doe ')).toEqual(['Jane Roe', 'Sam Doe']);
    expect(namesList(['A', 'B', 'C'])).toBe('A, B and C');
  });

  it('moves body headings down without touching other tags', () => {
    expect(bodyHtml('## Two\n\n###### Six\n\ntext', 1)).toBe('<h3>Two</h3>\n<h6>Six</h6>\n<p>text</p>\n');
  });

  it('tells malformed slugs and numbers (400) from well-formed ones', () => {
    expect(parseSlug('school-safety', 'topic')).toBe('school-safety');
    for (const bad of ['', '-x', 'A', 'a_b', 'a.b', 'a/b', 'x'.repeat(201), undefined])
      expect(() => parseSlug(bad, 'topic')).toThrow(/not a valid/);
    expect(parseIssuePart('17', 'volume')).toBe(17);
    for (const bad of ['017', '1.5', '-1', 'x', '1234567']) expect(() => parseIssuePart(bad, 'volume')).toThrow(/whole number/);
  });
});

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '</title><script>x</script>'),
);

const ctx: PageContext = {
  nonce: 'test-nonce',
  csrfToken: '',
  settings: defaultSiteSettings,
  viewer: null,
  path: '/',
  secondFactorPostponed: false,
};

describe('public templates escape editor-supplied text', () => {
  it('on article and event pages', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        const article = {
          id: a,
          issue_id: null,
          position: 0,
          slug: 'x',
          title: a,
          summary: b,
          body_markdown: c,
          authors: `${a}, ${b}`,
          image_upload_id: b,
          image_alt: c,
          additional_resources: JSON.stringify([{ title: a, url: b }]),
          show_disclaimer: 1,
          status: 'published',
          scheduled_for: null,
          published_at: '2024-01-08T14:00:00.000Z',
          created_at: '2024-01-08T14:00:00.000Z',
          updated_at: '2024-01-08T14:00:00.000Z',
        } satisfies ArticleRow;
        const event = {
          id: a,
          article_id: null,
          slug: 'y',
          title: a,
          kind: 'webinar',
          starts_at: '2024-01-22T16:00:00.000Z',
          time_zone: 'America/New_York',
          duration_minutes: 60,
          hashtag: b,
          hosts: JSON.stringify([{ handle: a, name: b, url: c }]),
          join_url: c,
          location: a,
          description: b,
          recap_markdown: c,
          recording_url: a,
          status: 'published',
          created_at: '2024-01-08T14:00:00.000Z',
          updated_at: '2024-01-08T14:00:00.000Z',
        } satisfies EventRow;
        const pages = [
          ArticlePage({ ctx, view: { article, issue: undefined, topics: [], events: [event] } }),
          EventPage({ ctx, view: { event, article: undefined, topics: [] }, now: new Date('2024-01-01T00:00:00Z') }),
        ];
        for (const page of pages) {
          const html = renderDocument(page);
          expect(html).not.toMatch(/<script(?![^>]*nonce="test-nonce")/i);
          expect(html).not.toMatch(/<(img|svg)\b[^>]*\son\w+=/i);
          expect(html).not.toMatch(/href="javascript:/i);
        }
      }),
      { numRuns: 60 },
    );
  });
});
