import { randomUUID } from 'node:crypto';
import { type Clock, iso } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import type { SubscriptionTopic, TopicFrequency } from '../platform/db/schema.ts';

export const TOPIC_FREQUENCY_LABELS: Record<TopicFrequency, string> = {
  as_published: 'As items are published',
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
};

/**
 * Topics in display order. Public callers must pass `audience: 'public'`: private topics are an
 * authorisation rule (listmonk's private-list bypass), so they are filtered here, once.
 */
export async function listTopics(db: Db, options: { audience: 'public' | 'staff' }): Promise<SubscriptionTopic[]> {
  let query = db.selectFrom('subscription_topics').selectAll().orderBy('position').orderBy('name');
  if (options.audience === 'public') query = query.where('visibility', '=', 'public');
  return query.execute();
}

/** The slug of the newsletter's own topic, which every installation has and cannot delete. */
export const DISPATCH_TOPIC_SLUG = 'dispatch';

interface TopicSeed {
  slug: string;
  name: string;
  description: string;
  frequency: TopicFrequency;
  visibility: 'public' | 'private';
}

const DISPATCH_TOPIC: TopicSeed = {
  slug: DISPATCH_TOPIC_SLUG,
  name: 'Community Policing Dispatch',
  description: 'The monthly e-newsletter: each new issue, with its articles, events and resources.',
  frequency: 'monthly',
  visibility: 'public',
};

// Starter topics every installation gets beside the Dispatch (like the demo issue); staff edit or remove them.
const STARTER_TOPICS: TopicSeed[] = [
  {
    slug: 'events',
    name: 'Events and X chats',
    description: 'Announcements of webinars, X chats and other events, and their recaps.',
    frequency: 'as_published',
    visibility: 'public',
  },
  {
    slug: 'school-safety',
    name: 'School safety',
    description: 'Articles and resources on school-based policing, school resource officers and their MOUs.',
    frequency: 'as_published',
    visibility: 'public',
  },
  {
    slug: 'grants',
    name: 'Grants and funding',
    description: 'Funding opportunities, solicitations and deadlines.',
    frequency: 'as_published',
    visibility: 'public',
  },
  {
    slug: 'editorial-partners',
    name: 'Editorial partners (internal)',
    description: 'Notes to partner agencies that contribute stories. Staff add members; the public cannot subscribe.',
    frequency: 'as_published',
    visibility: 'private',
  },
];

/**
 * On a fresh installation adds the Dispatch and the starter topics; later it only puts the Dispatch
 * topic back if it went missing, so a starter topic staff deleted stays deleted. Returns how many
 * topics it added.
 */
export async function seedSubscriptionTopics(db: Db, clock: Clock): Promise<number> {
  const existing = await db.selectFrom('subscription_topics').select('id').limit(1).executeTakeFirst();
  const seeds = existing ? [DISPATCH_TOPIC] : [DISPATCH_TOPIC, ...STARTER_TOPICS];
  const now = iso(clock.now());
  let added = 0;
  for (const [position, seed] of seeds.entries()) {
    const result = await db
      .insertInto('subscription_topics')
      .values({ id: randomUUID(), ...seed, position, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('slug').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}
