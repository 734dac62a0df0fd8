import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContactPage, ContactThanksPage } from '../../src/publishing/contact/views/contact-pages.tsx';
import { renderMarkdown } from '../../src/publishing/markdown.ts';
import { markdownToText } from '../../src/publishing/search/document-text.ts';
import type { SearchResult } from '../../src/publishing/search/search-published.ts';
import { LESS_THAN, MARK_END, MARK_START, snippetToHtml } from '../../src/publishing/search/snippet-html.ts';
import { SearchPage } from '../../src/publishing/search/views/search-page.tsx';
import type { IssueContents } from '../../src/publishing/site/find-issue.ts';
import { ArticlePage } from '../../src/publishing/views/article-page.tsx';
import { EventPage } from '../../src/publishing/views/event-page.tsx';
import { EventsPage } from '../../src/publishing/views/events-page.tsx';
import { HomePage, IssuePage } from '../../src/publishing/views/home-page.tsx';
import { IssueArchivePage } from '../../src/publishing/views/issue-archive-page.tsx';
import { bodyHtml } from '../../src/publishing/views/parts.tsx';
import { ResourcesPage } from '../../src/publishing/views/resources-page.tsx';
import { TopicPage } from '../../src/publishing/views/topic-page.tsx';
import { checkTemplates, context, expectNoInjectedMarkup, hostileMarkdown, markdownPayloads, pick, type Sample } from './markup.ts';
import { articleRow, eventRow, hostileSettings, issueRow, resourceRow, topicRow } from './rows.ts';

// The public pages, each given a hostile value in every text field it shows (and hostile site settings).

const ctx = (s: Sample, path = '/') => ({ ...context(hostileSettings(s), s.name, path), viewer: null });

function issueContents(s: Sample): IssueContents {
  return {
    issue: issueRow(),
    articles: [articleRow(s, { id: 'lead' }), articleRow(s, { id: 'second', slug: s.name, title: s.other, summary: s.text })],
    events: [
      eventRow(s, { id: 'e1', article_id: 'lead' }),
      eventRow(s, { id: 'e2', article_id: 'second', kind: 'in_person', title: s.other, hashtag: s.name }),
    ],
    topics: new Map([['lead', [topicRow(s), topicRow(s, { id: 't2', slug: s.other, name: s.title })]]]),
  };
}

/** A snippet as an engine returns it: sentinels around a match, "<" swapped as PostgreSQL's query does. */
function engineSnippet(text: string): string {
  const swapped = text.replaceAll('<', LESS_THAN);
  const third = Math.floor(swapped.length / 3);
  return `${swapped.slice(0, third)}${MARK_START}${swapped.slice(third, 2 * third)}${MARK_END}${swapped.slice(2 * third)}${MARK_START}`;
}

function searchResults(s: Sample): SearchResult[] {
  return [
    {
      kind: 'article',
      id: 'a',
      title: s.title,
      url: `/articles/${encodeURIComponent(s.slug)}`,
      snippetHtml: snippetToHtml(engineSnippet(s.summary)),
      publishedAt: '2024-01-08T14:00:00.000Z',
    },
    {
      kind: 'event',
      id: 'e',
      title: s.other,
      url: `/events/${encodeURIComponent(s.slug)}`,
      // The index holds the body as markdownToText leaves it.
      snippetHtml: snippetToHtml(engineSnippet(markdownToText(s.body))),
      publishedAt: null,
    },
    {
      kind: 'resource',
      id: 'r',
      title: s.name,
      // As entry-source.ts stores a resource's address (escaping-app.test.ts goes through it for real).
      url: /^https?:\/\//i.test(s.url) ? s.url : '',
      snippetHtml: snippetToHtml(engineSnippet(s.text)),
      publishedAt: '2024-01-08T14:00:00.000Z',
    },
  ];
}

describe('public pages escape user-controlled text', () => {
  checkTemplates({
    'home page (current issue)': (s) => HomePage({ ctx: ctx(s), current: issueContents(s) }),
    'home page (no issue yet)': (s) => HomePage({ ctx: ctx(s), current: undefined }),
    'issue page': (s) => IssuePage({ ctx: ctx(s, '/issues/17/1'), contents: issueContents(s) }),
    'issue archive': (s) =>
      IssueArchivePage({
        ctx: ctx(s, '/issues'),
        volumes: [
          {
            volume: 17,
            issues: [
              {
                issue: issueRow(),
                articles: [
                  { slug: s.slug, title: s.title },
                  { slug: s.name, title: s.other },
                ],
                articleCount: 9,
              },
              { issue: issueRow('issue-2', 17, 2), articles: [], articleCount: 0 },
            ],
          },
        ],
      }),
    'article page': (s) =>
      ArticlePage({
        ctx: ctx(s, '/articles/x'),
        view: {
          article: articleRow(s, { show_disclaimer: pick(s, [0, 1]) }),
          issue: pick(s, [issueRow(), undefined], 2),
          topics: [topicRow(s)],
          events: [eventRow(s, { kind: pick(s, ['x_chat', 'webinar', 'in_person'] as const, 4) })],
        },
      }),
    'topic page': (s) =>
      TopicPage({
        ctx: ctx(s, '/topics/x'),
        view: {
          topic: topicRow(s),
          articles: [articleRow(s), articleRow(s, { id: 'a2', slug: s.name, title: s.other, summary: s.text, published_at: null })],
          events: [eventRow(s)],
          resources: [resourceRow(s), resourceRow(s, { id: 'r2', url: s.url2, title: s.other, publisher: '', description: '' })],
        },
      }),
    'events list': (s) =>
      EventsPage({
        ctx: ctx(s, '/events'),
        listing: { upcoming: [eventRow(s)], past: [eventRow(s, { id: 'p', slug: s.name, title: s.other, kind: 'in_person' })] },
      }),
    'event page': (s) =>
      EventPage({
        ctx: ctx(s, '/events/x'),
        view: {
          event: eventRow(s, { kind: pick(s, ['x_chat', 'webinar', 'in_person'] as const) }),
          article: pick(s, [{ slug: s.slug, title: s.other }, undefined], 3),
          topics: [topicRow(s)],
        },
        now: new Date(pick(s, ['2024-01-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'], 6)),
      }),
    'resources page': (s) =>
      ResourcesPage({
        ctx: ctx(s, '/resources'),
        listing: {
          resources: [
            { ...resourceRow(s), topics: [topicRow(s), topicRow(s, { id: 't2', slug: s.other, name: s.text })] },
            { ...resourceRow(s, { id: 'r2', url: s.url2, title: s.other, kind: 'other', publisher: s.text }), topics: [] },
          ],
          topics: [topicRow(s)],
          topic: pick(s, [topicRow(s), undefined]),
        },
        kind: pick(s, [s.text, 'toolkit', undefined], 2),
      }),
    'search page (results)': (s) =>
      SearchPage({
        ctx: ctx(s, '/search'),
        params: { q: s.text, kind: s.other, topic: s.slug },
        topics: [{ slug: s.slug, name: s.name }],
        outcome: { query: s.text, total: 25, results: searchResults(s), page: pick(s, [1, 2, 3]), pageSize: 10 },
      }),
    'search page (no results, errors)': (s) =>
      SearchPage({
        ctx: ctx(s, '/search'),
        params: { q: s.text, kind: s.other, topic: s.slug },
        topics: [{ slug: s.slug, name: s.name }],
        outcome: pick(s, [{ query: s.summary, total: 0, results: [], page: 1, pageSize: 10 }, undefined]),
        errors: { kind: s.title, topic: s.other },
        message: s.summary,
      }),
    'contact page': (s) =>
      ContactPage({
        ctx: ctx(s, '/contact'),
        values: { name: s.name, email: s.email, subject: s.title, message: s.summary },
        errors: pick<Record<string, string>>(s, [{}, { name: s.other, email: s.text, subject: s.title, message: s.summary }]),
      }),
    'contact thanks page': (s) => ContactThanksPage({ ctx: ctx(s, '/contact') }),
  });
});

describe('renderMarkdown', () => {
  it('neutralises <script>, javascript:/data: links and <img onerror> written in Markdown or raw HTML', () => {
    fc.assert(
      fc.property(hostileMarkdown, fc.constantFrom(0, 1, 2), (markdown, demote) => {
        expectNoInjectedMarkup(bodyHtml(markdown, demote));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps ordinary links and formatting, so the property above is not met by dropping everything', () => {
    const html = renderMarkdown('Read **this** [report](https://example.gov/report) and [write](mailto:a@example.gov).');
    expect(html).toBe(
      '<p>Read <strong>this</strong> <a href="https://example.gov/report">report</a> and <a href="mailto:a@example.gov">write</a>.</p>\n',
    );
  });

  it('drops every Markdown attack in the list from the href and src attributes', () => {
    for (const attack of markdownPayloads) expectNoInjectedMarkup(renderMarkdown(attack));
  });
});
