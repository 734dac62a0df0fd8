import type { Db } from '../../platform/db/database.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { IMPORT_SOURCE } from './signup-rules.ts';

/** The topic ids a request row holds (a JSON array); anything malformed reads as none. */
export function parseTopicIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The topics a sign-up request may give, in display order: those that still exist and are public.
 * Only rows written by the CSV import may name private topics, because staff chose them. A topic
 * deleted or made private since the request simply drops out.
 */
export async function topicsForRequest(db: Db, request: { topic_ids: string; source: string }): Promise<SubscriptionTopic[]> {
  const ids = parseTopicIds(request.topic_ids);
  if (ids.length === 0) return [];
  let query = db.selectFrom('subscription_topics').selectAll().where('id', 'in', ids).orderBy('position').orderBy('name');
  if (request.source !== IMPORT_SOURCE) query = query.where('visibility', '=', 'public');
  return query.execute();
}
