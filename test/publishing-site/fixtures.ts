import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/platform/db/database.ts';
import type { ArticleStatus, EventKind, ResourceKind } from '../../src/platform/db/schema.ts';

// Rows written straight into the tables, as the editorial admin (another feature) would leave them.

const CREATED = '2023-12-01T00:00:00.000Z';

export async function insertTopic(db: Db, values: { slug: string; name?: string; description?: string }) {
  const id = randomUUID();
  await db
    .insertInto('publishing_topics')
    .values({ id, slug: values.slug, name: values.name ?? values.slug, description: values.description ?? '', created_at: CREATED })
    .execute();
  return id;
}

export async function insertIssue(
  db: Db,
  values: { volume: number; number: number; month: string; status?: 'draft' | 'published'; updatedAt?: string },
) {
  const id = randomUUID();
  await db
    .insertInto('publishing_issues')
    .values({
      id,
      volume: values.volume,
      number: values.number,
      month: values.month,
      status: values.status ?? 'published',
      published_at: values.status === 'draft' ? null : `${values.month}T12:00:00.000Z`,
      created_at: CREATED,
      updated_at: values.updatedAt ?? `${values.month}T12:00:00.000Z`,
    })
    .execute();
  return id;
}

export interface ArticleValues {
  slug: string;
  title?: string;
  issueId?: string | null;
  position?: number;
  status?: ArticleStatus;
  publishedAt?: string | null;
  updatedAt?: string;
  summary?: string;
  body?: string;
  authors?: string;
  additionalResources?: string;
  showDisclaimer?: 0 | 1;
  imageUploadId?: string | null;
  imageAlt?: string | null;
  topics?: string[];
}

export async function insertArticle(db: Db, values: ArticleValues) {
  const id = randomUUID();
  const status = values.status ?? 'published';
  const publishedAt = values.publishedAt === undefined ? (status === 'published' ? '2024-01-08T14:00:00.000Z' : null) : values.publishedAt;
  await db
    .insertInto('publishing_articles')
    .values({
      id,
      issue_id: values.issueId ?? null,
      position: values.position ?? 0,
      slug: values.slug,
      title: values.title ?? `Title of ${values.slug}`,
      summary: values.summary ?? `Summary of ${values.slug}`,
      body_markdown: values.body ?? `Body of ${values.slug}`,
      authors: values.authors ?? '',
      additional_resources: values.additionalResources ?? '[]',
      show_disclaimer: values.showDisclaimer ?? 1,
      image_upload_id: values.imageUploadId ?? null,
      image_alt: values.imageAlt ?? null,
      status,
      scheduled_for: status === 'scheduled' ? '2030-01-01T00:00:00.000Z' : null,
      published_at: publishedAt,
      created_at: CREATED,
      updated_at: values.updatedAt ?? publishedAt ?? CREATED,
    })
    .execute();
  for (const topic of values.topics ?? [])
    await db.insertInto('publishing_article_topics').values({ article_id: id, topic_id: topic }).execute();
  return id;
}

export interface EventValues {
  slug: string;
  startsAt: string;
  title?: string;
  kind?: EventKind;
  status?: 'draft' | 'published';
  articleId?: string | null;
  timeZone?: string;
  durationMinutes?: number;
  hashtag?: string | null;
  hosts?: string;
  joinUrl?: string | null;
  location?: string | null;
  description?: string;
  recap?: string | null;
  recordingUrl?: string | null;
  updatedAt?: string;
  topics?: string[];
}

export async function insertEvent(db: Db, values: EventValues) {
  const id = randomUUID();
  await db
    .insertInto('publishing_events')
    .values({
      id,
      article_id: values.articleId ?? null,
      slug: values.slug,
      title: values.title ?? `Event ${values.slug}`,
      kind: values.kind ?? 'webinar',
      starts_at: values.startsAt,
      time_zone: values.timeZone ?? 'America/New_York',
      duration_minutes: values.durationMinutes ?? 60,
      hashtag: values.hashtag ?? null,
      hosts: values.hosts ?? '[]',
      join_url: values.joinUrl ?? null,
      location: values.location ?? null,
      description: values.description ?? `About ${values.slug}`,
      recap_markdown: values.recap ?? null,
      recording_url: values.recordingUrl ?? null,
      status: values.status ?? 'published',
      created_at: CREATED,
      updated_at: values.updatedAt ?? CREATED,
    })
    .execute();
  for (const topic of values.topics ?? [])
    await db.insertInto('publishing_event_topics').values({ event_id: id, topic_id: topic }).execute();
  return id;
}

export async function insertResource(
  db: Db,
  values: { title: string; kind?: ResourceKind; status?: 'draft' | 'published'; url?: string; publisher?: string; topics?: string[] },
) {
  const id = randomUUID();
  await db
    .insertInto('publishing_resources')
    .values({
      id,
      title: values.title,
      url: values.url ?? 'https://example.gov/resource',
      publisher: values.publisher ?? 'Example Agency',
      kind: values.kind ?? 'publication',
      description: `About ${values.title}`,
      status: values.status ?? 'published',
      created_at: CREATED,
      updated_at: CREATED,
    })
    .execute();
  for (const topic of values.topics ?? []) {
    await db.insertInto('publishing_resource_topics').values({ resource_id: id, topic_id: topic }).execute();
  }
  return id;
}

/** Awaits a promise that must reject with an AppError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    if ((error as { code?: string }).code === code) return;
    throw error;
  }
  throw new Error(`expected a ${code} error`);
}

/** The demo event and article the seed installs (content/demo/issue-2024-01.json). */
export const DEMO = {
  articleSlug: 'x-chat-school-resource-officer-mou',
  articleTitle: 'Join an X Chat on Building a Strong School Resource Officer MOU',
  eventSlug: 'rems-chat-with-an-expert-sro-mou-2024-01-22',
  eventId: 'demo-event-rems-chat-2024-01-22',
  eventTitle: '#REMSChatWithAnExpert: Developing and Updating School Resource Officer MOUs',
  stamp: 'January 2024 | Volume 17 | Issue 1',
} as const;
