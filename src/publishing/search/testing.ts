import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';

// Rows for the search suites (not part of the public API): inserted directly, as the editorial
// use-cases would leave them, so these tests do not depend on the editor being built.

const at = '2024-01-08T14:00:00.000Z';

export async function addTopic(db: Db, slug: string, name = slug): Promise<string> {
  const id = randomUUID();
  await db.insertInto('publishing_topics').values({ id, slug, name, created_at: at }).execute();
  return id;
}

export async function addArticle(
  db: Db,
  fields: {
    title: string;
    summary?: string;
    body?: string;
    authors?: string;
    status?: 'draft' | 'published';
    publishedAt?: string;
    topics?: string[];
  },
): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `${fields.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)}-${id.slice(0, 8)}`;
  const status = fields.status ?? 'published';
  await db
    .insertInto('publishing_articles')
    .values({
      id,
      slug,
      title: fields.title,
      summary: fields.summary ?? 'A short summary.',
      body_markdown: fields.body ?? 'Some body text.',
      authors: fields.authors ?? 'COPS Office',
      status,
      issue_id: null,
      scheduled_for: null,
      published_at: status === 'published' ? (fields.publishedAt ?? at) : null,
      image_upload_id: null,
      image_alt: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const topic of fields.topics ?? [])
    await db.insertInto('publishing_article_topics').values({ article_id: id, topic_id: topic }).execute();
  return { id, slug };
}

export async function addEvent(
  db: Db,
  fields: { title: string; description?: string; hashtag?: string; status?: 'draft' | 'published'; topics?: string[] },
): Promise<{ id: string; slug: string }> {
  const id = randomUUID();
  const slug = `event-${id.slice(0, 8)}`;
  await db
    .insertInto('publishing_events')
    .values({
      id,
      article_id: null,
      slug,
      title: fields.title,
      kind: 'webinar',
      starts_at: '2024-02-01T16:00:00.000Z',
      time_zone: 'America/New_York',
      duration_minutes: 60,
      hashtag: fields.hashtag ?? null,
      hosts: JSON.stringify([{ handle: '@COPSOffice', name: 'COPS Office', url: 'https://x.com/COPSOffice' }]),
      join_url: null,
      location: null,
      description: fields.description ?? 'An event.',
      recap_markdown: null,
      recording_url: null,
      status: fields.status ?? 'published',
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const topic of fields.topics ?? [])
    await db.insertInto('publishing_event_topics').values({ event_id: id, topic_id: topic }).execute();
  return { id, slug };
}

export async function addResource(
  db: Db,
  fields: { title: string; description?: string; publisher?: string; url?: string; status?: 'draft' | 'published'; topics?: string[] },
): Promise<{ id: string }> {
  const id = randomUUID();
  await db
    .insertInto('publishing_resources')
    .values({
      id,
      title: fields.title,
      url: fields.url ?? 'https://example.gov/resource',
      publisher: fields.publisher ?? 'COPS Office',
      kind: 'publication',
      description: fields.description ?? 'A resource.',
      status: fields.status ?? 'published',
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const topic of fields.topics ?? [])
    await db.insertInto('publishing_resource_topics').values({ resource_id: id, topic_id: topic }).execute();
  return { id };
}
