import { describe } from 'vitest';
import type { ArticleStatus, ContactStatus } from '../../src/platform/db/schema.ts';
import type { ContactStatusFilter } from '../../src/publishing/contact/contact-status.ts';
import { ContactInboxPage, ContactMessagePageView } from '../../src/publishing/contact/views/inbox-pages.tsx';
import type { ArticleForm } from '../../src/publishing/editorial/articles/article-form.ts';
import type { ArticleChange } from '../../src/publishing/editorial/articles/article-revisions.ts';
import { ArticleFormPage } from '../../src/publishing/editorial/views/article-form-page.tsx';
import { ArticleListPage } from '../../src/publishing/editorial/views/article-list-page.tsx';
import { ArticleRevisionPage, ArticleRevisionsPage } from '../../src/publishing/editorial/views/article-revisions-pages.tsx';
import { EventFormPage, EventListPage } from '../../src/publishing/editorial/views/event-pages.tsx';
import { IssueFormPage, IssueListPage } from '../../src/publishing/editorial/views/issue-pages.tsx';
import { ResourceFormPage, ResourceListPage } from '../../src/publishing/editorial/views/resource-pages.tsx';
import { TopicFormPage, TopicListPage } from '../../src/publishing/editorial/views/topic-pages.tsx';
import { UploadsPage } from '../../src/publishing/editorial/views/uploads-page.tsx';
import { renderMarkdown } from '../../src/publishing/markdown.ts';
import { ArticlePage } from '../../src/publishing/views/article-page.tsx';
import { checkTemplates, context, pick, type Sample } from './markup.ts';
import { articleRow, at, eventRow, hostileSettings, issueRow, resourceRow, topicRow } from './rows.ts';

// The editorial admin and the contact inbox: what editors and the public typed, shown back to staff.

const ctx = (s: Sample, path: string) => context(hostileSettings(s), s.name, path);
const statuses: ArticleStatus[] = ['draft', 'in_review', 'scheduled', 'published'];
const changes: (ArticleChange | string)[] = ['created', 'edited', 'published', 'no-such-change'];
const errors = (s: Sample, ...fields: string[]) =>
  pick(s, [{}, Object.fromEntries([...fields.map((f) => [f, s.other]), [s.text, s.summary]])], 16) as Record<string, string>;
const topics = (s: Sample) => [
  { id: s.slug, slug: s.slug, name: s.name },
  { id: s.text, slug: s.other, name: s.title },
];
const mayPublish = (s: Sample) => pick(s, [true, false], 8);
const paging = (s: Sample) => ({ page: pick(s, [1, 2, 3], 32), pageCount: 3, notice: pick(s, [undefined, s.text], 64) });

function articleForm(s: Sample): ArticleForm {
  return {
    title: s.title,
    slug: s.slug,
    summary: s.summary,
    body: s.body,
    authors: s.name,
    issueId: s.other,
    position: s.text,
    topics: [s.slug],
    additionalResources: `${s.title} | ${s.url}\n${s.other} | ${s.url2}`,
    showDisclaimer: true,
    imageAlt: s.other,
    removeImage: false,
  };
}

const eventForm = (s: Sample) => ({
  title: s.title,
  slug: s.slug,
  kind: s.other,
  date: s.text,
  time: s.text,
  timeZone: s.name,
  durationMinutes: s.other,
  hashtag: s.text,
  hosts: `${s.name} | ${s.other} | ${s.url}`,
  joinUrl: s.url,
  location: s.other,
  description: s.summary,
  recap: s.recap,
  recordingUrl: s.url2,
  topics: [s.slug],
  articleId: s.other,
  status: s.text,
});

describe('editorial admin pages escape user-controlled text', () => {
  checkTemplates({
    'article list': (s) =>
      ArticleListPage({
        ctx: ctx(s, '/admin/articles'),
        rows: statuses.map((status, i) => ({
          id: `${s.slug}${i}`,
          title: s.title,
          slug: s.slug,
          status,
          scheduled_for: at,
          published_at: at,
          updated_at: at,
          volume: i % 2 ? 17 : null,
          number: i % 2 ? 1 : null,
        })),
        status: pick(s, [undefined, ...statuses]),
        ...paging(s),
      }),
    'article form (edit, every state)': (s) =>
      ArticleFormPage({
        ctx: ctx(s, '/admin/articles/x'),
        article: articleRow(s, { status: pick(s, statuses), scheduled_for: at }),
        form: articleForm(s),
        errors: errors(s, 'title', 'body', 'scheduleDate', 'image', 'newImageAlt', 'additionalResources'),
        topics: topics(s),
        issues: [{ id: s.other, volume: 17, number: 1, month: '2024-01-01', status: 'draft' }],
        mayPublish: mayPublish(s),
        preview: pick(s, [undefined, renderMarkdown(s.body)], 128),
        notice: s.text,
        schedule: { date: s.text, time: s.other, timeZone: s.name },
        newImageAlt: s.other,
      }),
    'article form (new, with preview)': (s) =>
      ArticleFormPage({
        ctx: ctx(s, '/admin/articles/new'),
        article: null,
        form: articleForm(s),
        errors: errors(s, 'title', 'slug', 'summary'),
        topics: topics(s),
        issues: [],
        mayPublish: mayPublish(s),
        preview: renderMarkdown(s.body),
      }),
    'article preview (the public page for any state)': (s) =>
      ArticlePage({
        ctx: ctx(s, '/admin/articles/x/preview'),
        view: { article: articleRow(s, { status: pick(s, statuses), published_at: null }), issue: issueRow(), topics: [], events: [] },
      }),
    'article revisions': (s) =>
      ArticleRevisionsPage({
        ctx: ctx(s, '/admin/articles/x/revisions'),
        article: articleRow(s),
        revisions: changes.map((change, i) => ({ id: i + 1, created_at: at, author: s.name, change: i === 3 ? s.other : change })),
      }),
    'article revision': (s) =>
      ArticleRevisionPage({
        ctx: ctx(s, '/admin/articles/x/revisions/1'),
        article: articleRow(s),
        revision: {
          id: 1,
          created_at: at,
          author: s.name,
          change: s.other,
          snapshot: {
            title: s.title,
            slug: s.slug,
            summary: s.summary,
            body_markdown: s.body,
            authors: s.name,
            issue_id: s.other,
            position: 0,
            topic_ids: [s.slug, s.text],
            additional_resources: [{ title: s.title, url: s.url }],
            show_disclaimer: true,
            image_upload_id: s.text,
            image_alt: s.other,
            status: pick(s, statuses),
            scheduled_for: null,
            published_at: at,
          },
        },
        topicNames: { [s.slug]: s.name },
      }),
    'issue list': (s) =>
      IssueListPage({
        ctx: ctx(s, '/admin/issues'),
        rows: [{ id: s.slug, volume: 17, number: 1, month: '2024-01-01', status: 'draft', published_at: null, articles: 2 }],
        ...paging(s),
      }),
    'issue form': (s) =>
      IssueFormPage({
        ctx: ctx(s, '/admin/issues/x'),
        issue: pick(s, [issueRow(s.slug), { ...issueRow(s.slug), status: 'draft' as const, published_at: null }, null]),
        form: { month: s.text, volume: s.other, number: s.name },
        errors: errors(s, 'month', 'volume', 'number'),
        mayPublish: mayPublish(s),
        firstVolumeYear: 2008,
        articles: [{ id: s.slug, title: s.title, status: pick(s, statuses, 4), position: 0 }],
        notice: s.summary,
      }),
    'event list': (s) =>
      EventListPage({
        ctx: ctx(s, '/admin/events'),
        rows: [{ id: s.slug, title: s.title, kind: 'webinar', starts_at: at, time_zone: 'America/New_York', status: 'published' }],
        ...paging(s),
      }),
    'event form': (s) =>
      EventFormPage({
        ctx: ctx(s, '/admin/events/x'),
        event: pick(s, [eventRow(s), eventRow(s, { status: 'draft' }), null]),
        form: eventForm(s),
        errors: errors(s, 'title', 'hosts', 'joinUrl', 'recap'),
        topics: topics(s),
        articles: [{ id: s.slug, title: s.title }],
        mayPublish: mayPublish(s),
        notice: s.summary,
      }),
    'resource list': (s) =>
      ResourceListPage({
        ctx: ctx(s, '/admin/resources'),
        rows: [{ id: s.slug, title: s.title, kind: 'video', publisher: s.name, status: 'draft' }],
        ...paging(s),
      }),
    'resource form': (s) =>
      ResourceFormPage({
        ctx: ctx(s, '/admin/resources/x'),
        resource: pick(s, [resourceRow(s), resourceRow(s, { status: 'draft' }), null]),
        form: { title: s.title, url: s.url, publisher: s.name, kind: s.other, description: s.summary, topics: [s.slug], status: s.text },
        errors: errors(s, 'title', 'url'),
        topics: topics(s),
        mayPublish: mayPublish(s),
        notice: s.summary,
      }),
    'topic list': (s) =>
      TopicListPage({
        ctx: ctx(s, '/admin/topics'),
        rows: [{ id: s.slug, name: s.name, slug: s.other, articles: 1, events: null, resources: 2, uses: 3 }],
        ...paging(s),
      }),
    'topic form': (s) =>
      TopicFormPage({
        ctx: ctx(s, '/admin/topics/x'),
        topic: pick(s, [topicRow(s), null]),
        form: { name: s.name, slug: s.slug, description: s.summary },
        errors: errors(s, 'name', 'slug'),
        uses: pick(s, [0, 1, 5], 2),
        notice: s.text,
      }),
    uploads: (s) =>
      UploadsPage({
        ctx: ctx(s, '/admin/uploads'),
        uploads: [{ id: s.slug, original_name: s.name, content_type: s.other, size_bytes: 2048, created_at: at }],
        uploaded: pick(s, [undefined, s.text]),
        errors: errors(s, 'image'),
      }),
  });
});

describe('the contact inbox escapes what the public sent', () => {
  const contactStatuses: ContactStatus[] = ['new', 'answered', 'archived'];
  checkTemplates({
    'inbox list': (s) =>
      ContactInboxPage({
        ctx: ctx(s, '/admin/contact'),
        status: pick(s, ['all', ...contactStatuses] as ContactStatusFilter[]),
        list: {
          messages: contactStatuses.map((status, i) => ({
            id: i + 1,
            created_at: at,
            name: i === 0 ? '' : s.name,
            email: s.email,
            subject: s.title,
            status,
          })),
          total: 60,
          page: pick(s, [1, 2, 3], 4),
          pageCount: 3,
          counts: { new: 1, answered: 2, archived: 3 },
        },
      }),
    'inbox message': (s) =>
      ContactMessagePageView({
        ctx: ctx(s, '/admin/contact/1'),
        message: {
          id: 1,
          created_at: at,
          name: s.name,
          email: s.email,
          subject: s.title,
          message: `${s.summary}\n${s.other}\n\n${s.text}`,
          status: pick(s, contactStatuses),
          updated_at: at,
        },
        changedTo: pick(s, [undefined, ...contactStatuses], 4),
      }),
  });
});
