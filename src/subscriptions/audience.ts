import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { Database, DeliveryFrequency, SuppressionReason } from '../platform/db/schema.ts';
import { recordSubscriberEvent } from './history.ts';
import { emailHash } from './keys.ts';
import { parseSubscriberEmail } from './subscriber-email.ts';

// What delivery may know about subscribers, and the one thing it may do to them. Delivery never
// reads or writes the subscription tables itself; it goes through these functions.

export interface Audience {
  /** Subscription topic ids: members of any of them qualify. */
  topicIds: readonly string[];
  /** Which members: those who chose every bulletin, or the monthly digest. */
  frequency: DeliveryFrequency;
}

/**
 * The eligible recipients as a query of (subscriber_id, topic_id), one row per subscriber, for an
 * INSERT … SELECT that writes the send ledger in the same statement. Eligible means: confirmed and
 * not paused (status active; unconfirmed, paused, unsubscribed and suppressed addresses all have
 * another status), and a member of one of the topics with the audience's frequency. A subscriber in
 * several of the topics gets the lowest topic id, so a restart computes the same rows.
 */
export function eligibleRecipients(db: Kysely<Database>, audience: Audience) {
  const topicIds = audience.topicIds.length > 0 ? [...audience.topicIds] : [''];
  return db
    .selectFrom('subscriptions')
    .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
    .where('subscriptions.topic_id', 'in', topicIds)
    .where('subscriptions.frequency', '=', audience.frequency)
    .where('subscribers.status', '=', 'active')
    .groupBy('subscriptions.subscriber_id')
    .select((eb) => ['subscriptions.subscriber_id as subscriber_id', eb.fn.min('subscriptions.topic_id').as('topic_id')]);
}

/**
 * Of `subscriberIds`, those who may still be mailed right now, with their current address: the same
 * rule as eligibleRecipients, read again just before sending, so an unsubscribe, pause, suppression,
 * topic change or deletion made during a send is honoured by the next message.
 */
export async function stillEligible(
  db: Kysely<Database>,
  audience: Audience,
  subscriberIds: readonly string[],
): Promise<Map<string, string>> {
  const eligible = new Map<string, string>();
  if (subscriberIds.length === 0 || audience.topicIds.length === 0) return eligible;
  const rows = await db
    .selectFrom('subscribers')
    .select(['subscribers.id', 'subscribers.email'])
    .where('subscribers.id', 'in', [...subscriberIds])
    .where('subscribers.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions')
          .select('subscriptions.topic_id')
          .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
          .where('subscriptions.topic_id', 'in', [...audience.topicIds])
          .where('subscriptions.frequency', '=', audience.frequency),
      ),
    )
    .execute();
  for (const row of rows) eligible.set(row.id, row.email);
  return eligible;
}

/** Subscription topics by id, for List-Id headers and labels: slug and name. */
export async function topicLabels(db: Kysely<Database>, topicIds: readonly string[]): Promise<Map<string, { slug: string; name: string }>> {
  const labels = new Map<string, { slug: string; name: string }>();
  if (topicIds.length === 0) return labels;
  const rows = await db
    .selectFrom('subscription_topics')
    .select(['id', 'slug', 'name'])
    .where('id', 'in', [...topicIds])
    .execute();
  for (const row of rows) labels.set(row.id, { slug: row.slug, name: row.name });
  return labels;
}

/** The current address of a subscriber, or null when they deleted themselves. */
export async function subscriberAddress(db: Kysely<Database>, subscriberId: string): Promise<string | null> {
  const row = await db.selectFrom('subscribers').select('email').where('id', '=', subscriberId).executeTakeFirst();
  return row?.email ?? null;
}

/**
 * The subscriber with this address (normalised as at sign-up: trimmed, lower-cased, ASCII domain),
 * or null. For bounce and complaint reports that name only the failed address.
 */
export async function subscriberIdByAddress(db: Kysely<Database>, address: string): Promise<string | null> {
  const parsed = parseSubscriberEmail(address);
  if (!parsed.ok) return null;
  const row = await db.selectFrom('subscribers').select('id').where('email', '=', parsed.email).executeTakeFirst();
  return row?.id ?? null;
}

/** How many of the given subscribers unsubscribed at or after `since` (the report's "unsubscribed since"). */
export async function countUnsubscribedSince(db: Kysely<Database>, subscriberIds: readonly string[], since: string): Promise<number> {
  if (subscriberIds.length === 0) return 0;
  const row = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', [...subscriberIds])
    .where('status', '=', 'unsubscribed')
    .where('unsubscribed_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Like countUnsubscribedSince, for a set of subscribers given as a query of their ids (a campaign's
 * sent recipients, up to a million of them): one statement instead of a million bound parameters.
 */
export async function countUnsubscribedAmongSince<TB extends keyof Database>(
  db: Kysely<Database>,
  subscriberIds: SelectQueryBuilder<Database, TB, { subscriber_id: string }>,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'unsubscribed')
    .where('unsubscribed_at', '>=', since)
    .where('id', 'in', subscriberIds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A hard bounce or a complaint: the subscriber stops receiving anything (status unsubscribed) and
 * the keyed hash of the address goes on the suppression list, so no sign-up or import re-adds it.
 * Idempotent; returns false when the subscriber no longer exists. Delivery calls this, inside its
 * own transaction when it has one.
 */
export async function suppressForDelivery(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config'>,
  options: { subscriberId: string; reason: Extract<SuppressionReason, 'hard_bounce' | 'complaint'>; details?: Record<string, unknown> },
  trx?: Transaction<Database>,
): Promise<boolean> {
  const run = async (db: Transaction<Database>) => {
    const row = await db.selectFrom('subscribers').select(['email', 'status']).where('id', '=', options.subscriberId).executeTakeFirst();
    if (!row) return false;
    const now = iso(ctx.clock.now());
    await db
      .insertInto('subscriber_suppressions')
      .values({ email_hash: emailHash(ctx.config.secret, row.email), reason: options.reason, created_at: now })
      // A "deleted" entry lets the person subscribe again; a bounce or complaint must not.
      .onConflict((oc) =>
        oc
          .column('email_hash')
          .doUpdateSet({ reason: options.reason, created_at: now })
          .where('subscriber_suppressions.reason', '=', 'deleted'),
      )
      .execute();
    if (row.status !== 'unsubscribed') {
      await db
        .updateTable('subscribers')
        .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now })
        .where('id', '=', options.subscriberId)
        .execute();
      await recordSubscriberEvent(db, ctx.clock, {
        subscriberId: options.subscriberId,
        kind: 'suppressed',
        actor: 'system',
        details: { from: row.status, reason: options.reason, ...options.details },
      });
    }
    return true;
  };
  return trx ? run(trx) : ctx.db.transaction().execute(run);
}
