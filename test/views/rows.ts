import { defaultSiteSettings, type SiteSettings } from '../../src/platform/settings/site-settings.ts';
import type { ArticleRow, EventRow, IssueRow, ResourceRow, TopicRow } from '../../src/publishing/site/published.ts';
import type { Sample } from './markup.ts';

// Rows as the database could hold them, with a hostile value in every text column. Dates, time
// zones and months stay valid: the forms and the schema guarantee those, and Intl rejects others.

const AT = '2024-01-08T14:00:00.000Z';

/** Every text setting an administrator can change, hostile. */
export function hostileSettings(s: Sample): SiteSettings {
  return {
    ...defaultSiteSettings,
    siteName: s.name,
    tagline: s.text,
    editorialBoardEmail: s.email,
    responseCenterPhone: s.other,
    responseCenterEmail: s.email,
    agencyName: s.title,
    officeName: s.other,
    streetAddress: s.summary,
    cityStateZip: s.text,
    agencyWebsite: s.url,
    opinionDisclaimer: s.summary,
    transactionalFrom: s.name,
  };
}

export function issueRow(id = 'issue-1', volume = 17, number = 1): IssueRow {
  return { id, volume, number, month: '2024-01-01', status: 'published', published_at: AT, created_at: AT, updated_at: AT };
}

/** Additional resources: hostile titles, hostile addresses, and one real link so a title always shows. */
export function linksJson(s: Sample): string {
  return JSON.stringify([
    { title: s.title, url: s.url },
    { title: s.other, url: s.url2 },
    { title: s.text, url: `https://example.gov/${s.slug}` },
  ]);
}

/** Hosts: hostile handles, names and addresses. */
export function hostsJson(s: Sample): string {
  return JSON.stringify([
    { handle: s.name, name: s.other, url: s.url },
    { handle: s.text, name: s.title, url: s.url2 },
    { handle: '', name: s.summary, url: `https://x.com/${s.slug}` },
  ]);
}

export function articleRow(s: Sample, overrides: Partial<ArticleRow> = {}): ArticleRow {
  return {
    id: s.slug,
    issue_id: 'issue-1',
    position: 0,
    slug: s.slug,
    title: s.title,
    summary: s.summary,
    body_markdown: s.body,
    authors: `${s.name}, ${s.other}`,
    image_upload_id: s.text,
    image_alt: s.other,
    additional_resources: linksJson(s),
    show_disclaimer: 1,
    status: 'published',
    scheduled_for: null,
    published_at: AT,
    created_at: AT,
    updated_at: AT,
    ...overrides,
  };
}

export function eventRow(s: Sample, overrides: Partial<EventRow> = {}): EventRow {
  return {
    id: s.slug,
    article_id: s.slug,
    slug: s.slug,
    title: s.title,
    kind: 'x_chat',
    starts_at: '2024-01-22T16:00:00.000Z',
    time_zone: 'America/New_York',
    duration_minutes: 60,
    hashtag: s.text,
    hosts: hostsJson(s),
    join_url: s.url,
    location: s.other,
    description: s.summary,
    recap_markdown: s.recap,
    recording_url: s.url2,
    status: 'published',
    created_at: AT,
    updated_at: AT,
    ...overrides,
  };
}

export function topicRow(s: Sample, overrides: Partial<TopicRow> = {}): TopicRow {
  return { id: s.slug, slug: s.slug, name: s.name, description: s.summary, created_at: AT, ...overrides };
}

export function resourceRow(s: Sample, overrides: Partial<ResourceRow> = {}): ResourceRow {
  return {
    id: s.slug,
    title: s.title,
    url: s.url,
    publisher: s.name,
    kind: 'toolkit',
    description: s.summary,
    status: 'published',
    created_at: AT,
    updated_at: AT,
    ...overrides,
  };
}

export const at = AT;
