import type { AppContext } from '../../platform/context.ts';
import type { DeliveryFrequency, Subscriber, SuppressionReason, TopicVisibility } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { suppressionOf } from '../suppression.ts';

export const HISTORY_PAGE_SIZE = 50;

export interface SubscriberMembership {
  topicId: string;
  name: string;
  visibility: TopicVisibility;
  frequency: DeliveryFrequency;
  since: string;
}

export interface SubscriberHistoryEvent {
  id: number;
  at: string;
  kind: string;
  actor: string;
  details: string;
}

export interface SubscriberRecord {
  subscriber: Subscriber;
  memberships: SubscriberMembership[];
  /** Set when the address is on the suppression list (it is then never mailed). */
  suppression: SuppressionReason | null;
  history: { events: SubscriberHistoryEvent[]; total: number; page: number; pageCount: number };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A subscriber id from a URL: a lower-case UUID, or NOT_FOUND before any query. */
export function subscriberIdOf(raw: unknown): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) throw notFound('That subscriber');
  return raw;
}

/** One subscriber for the admin page: the row, topics, suppression and one page of history, newest first. */
export async function getSubscriberRecord(ctx: AppContext, options: { id: string; page: number }): Promise<SubscriberRecord> {
  const id = subscriberIdOf(options.id);
  const subscriber = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!subscriber) throw notFound('That subscriber');

  const [memberships, suppression, total] = await Promise.all([
    ctx.db
      .selectFrom('subscriptions as s')
      .innerJoin('subscription_topics as t', 't.id', 's.topic_id')
      .select(['t.id as topicId', 't.name', 't.visibility', 's.frequency', 's.created_at as since'])
      .where('s.subscriber_id', '=', id)
      .orderBy('t.position')
      .orderBy('t.name')
      .execute(),
    suppressionOf(ctx.db, ctx.config.secret, subscriber.email),
    ctx.db
      .selectFrom('subscriber_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscriber_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  const pageCount = Math.max(1, Math.ceil(Number(total.n) / HISTORY_PAGE_SIZE));
  const page = Math.min(Math.max(1, options.page), pageCount);
  const events = await ctx.db
    .selectFrom('subscriber_events')
    .select(['id', 'at', 'kind', 'actor', 'details'])
    .where('subscriber_id', '=', id)
    // The id is the order events were written in; timestamps can tie.
    .orderBy('id', 'desc')
    .limit(HISTORY_PAGE_SIZE)
    .offset((page - 1) * HISTORY_PAGE_SIZE)
    .execute();
  return {
    subscriber,
    memberships,
    suppression,
    history: { events: events.map((e) => ({ ...e, id: Number(e.id) })), total: Number(total.n), page, pageCount },
  };
}

/** Just the subscriber row (for the confirmation pages); NOT_FOUND for an unknown or malformed id. */
export async function getSubscriber(ctx: AppContext, rawId: string): Promise<Subscriber> {
  const id = subscriberIdOf(rawId);
  const subscriber = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!subscriber) throw notFound('That subscriber');
  return subscriber;
}
