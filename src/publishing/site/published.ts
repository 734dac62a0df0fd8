import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type {
  PublishingArticlesTable,
  PublishingEventsTable,
  PublishingIssuesTable,
  PublishingResourcesTable,
  PublishingTopicsTable,
} from '../../platform/db/schema.ts';

// What "published" means on the public side, in one place. Articles: status 'published' (the
// editorial job moves scheduled articles there) and, as a guard, a publication time not in the
// future. Issues, events and resources: status 'published'. Topics have no workflow.

export type IssueRow = Selectable<PublishingIssuesTable>;
export type ArticleRow = Selectable<PublishingArticlesTable>;
export type EventRow = Selectable<PublishingEventsTable>;
export type ResourceRow = Selectable<PublishingResourcesTable>;
export type TopicRow = Selectable<PublishingTopicsTable>;

export function publishedArticles(db: Db, now: string) {
  return db
    .selectFrom('publishing_articles')
    .where('publishing_articles.status', '=', 'published')
    .where('publishing_articles.published_at', 'is not', null)
    .where('publishing_articles.published_at', '<=', now);
}

export function publishedIssues(db: Db) {
  return db.selectFrom('publishing_issues').where('publishing_issues.status', '=', 'published');
}

export function publishedEvents(db: Db) {
  return db.selectFrom('publishing_events').where('publishing_events.status', '=', 'published');
}

export function publishedResources(db: Db) {
  return db.selectFrom('publishing_resources').where('publishing_resources.status', '=', 'published');
}

function group<T extends { owner: string }>(rows: T[]): Map<string, Omit<T, 'owner'>[]> {
  const byOwner = new Map<string, Omit<T, 'owner'>[]>();
  for (const { owner, ...topic } of rows) {
    const list = byOwner.get(owner) ?? [];
    list.push(topic);
    byOwner.set(owner, list);
  }
  return byOwner;
}

/** The topics of each article, by article id, in name order. */
export async function topicsOfArticles(db: Db, ids: string[]): Promise<Map<string, TopicRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('publishing_article_topics as link')
    .innerJoin('publishing_topics as t', 't.id', 'link.topic_id')
    .select(['link.article_id as owner', 't.id', 't.slug', 't.name', 't.description', 't.created_at'])
    .where('link.article_id', 'in', ids)
    .orderBy('t.name')
    .execute();
  return group(rows);
}

/** The topics of each event, by event id, in name order. */
export async function topicsOfEvents(db: Db, ids: string[]): Promise<Map<string, TopicRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('publishing_event_topics as link')
    .innerJoin('publishing_topics as t', 't.id', 'link.topic_id')
    .select(['link.event_id as owner', 't.id', 't.slug', 't.name', 't.description', 't.created_at'])
    .where('link.event_id', 'in', ids)
    .orderBy('t.name')
    .execute();
  return group(rows);
}

/** The topics of each resource, by resource id, in name order. */
export async function topicsOfResources(db: Db, ids: string[]): Promise<Map<string, TopicRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('publishing_resource_topics as link')
    .innerJoin('publishing_topics as t', 't.id', 'link.topic_id')
    .select(['link.resource_id as owner', 't.id', 't.slug', 't.name', 't.description', 't.created_at'])
    .where('link.resource_id', 'in', ids)
    .orderBy('t.name')
    .execute();
  return group(rows);
}
