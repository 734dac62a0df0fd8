import type { Db } from '../../../platform/db/database.ts';
import type { FieldErrors } from './field-errors.ts';

/** Every topic, by name, for the checkbox groups. */
export function listTopicOptions(db: Db) {
  return db.selectFrom('publishing_topics').select(['id', 'slug', 'name']).orderBy('name').execute();
}

export type TopicOption = Awaited<ReturnType<typeof listTopicOptions>>[number];

/** Keeps only known topic ids (in a stable order); an unknown one is a field error on "topics". */
export async function checkTopicIds(db: Db, ids: string[], errors: FieldErrors): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  if (unique.length > 50) {
    errors.add('topics', 'Choose at most 50 topics.');
    return [];
  }
  const known = await db.selectFrom('publishing_topics').select('id').where('id', 'in', unique).execute();
  if (known.length !== unique.length) errors.add('topics', 'One of the chosen topics no longer exists. Choose again.');
  return known.map((t) => t.id).sort();
}

export type TopicOwner = 'article' | 'event' | 'resource';

/** The topic ids linked to one article, event or resource. */
export async function linkedTopicIds(db: Db, owner: TopicOwner, ownerId: string): Promise<string[]> {
  const rows =
    owner === 'article'
      ? await db.selectFrom('publishing_article_topics').select('topic_id').where('article_id', '=', ownerId).execute()
      : owner === 'event'
        ? await db.selectFrom('publishing_event_topics').select('topic_id').where('event_id', '=', ownerId).execute()
        : await db.selectFrom('publishing_resource_topics').select('topic_id').where('resource_id', '=', ownerId).execute();
  return rows.map((r) => r.topic_id).sort();
}

/** Replaces the topic links of one article, event or resource (inside the caller's transaction). */
export async function replaceTopicLinks(db: Db, owner: TopicOwner, ownerId: string, topicIds: string[]): Promise<void> {
  if (owner === 'article') {
    await db.deleteFrom('publishing_article_topics').where('article_id', '=', ownerId).execute();
    if (topicIds.length > 0) {
      await db
        .insertInto('publishing_article_topics')
        .values(topicIds.map((topic_id) => ({ article_id: ownerId, topic_id })))
        .execute();
    }
  } else if (owner === 'event') {
    await db.deleteFrom('publishing_event_topics').where('event_id', '=', ownerId).execute();
    if (topicIds.length > 0) {
      await db
        .insertInto('publishing_event_topics')
        .values(topicIds.map((topic_id) => ({ event_id: ownerId, topic_id })))
        .execute();
    }
  } else {
    await db.deleteFrom('publishing_resource_topics').where('resource_id', '=', ownerId).execute();
    if (topicIds.length > 0) {
      await db
        .insertInto('publishing_resource_topics')
        .values(topicIds.map((topic_id) => ({ resource_id: ownerId, topic_id })))
        .execute();
    }
  }
}
