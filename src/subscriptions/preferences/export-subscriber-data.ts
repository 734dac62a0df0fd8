import type { AppContext } from '../../platform/context.ts';
import { recordSubscriberEvent } from '../history.ts';

/** The file name of "Download my data". */
export const SUBSCRIBER_DATA_FILE_NAME = 'dispatch-subscriber-data.json';

export interface SubscriberDataExport {
  exportedAt: string;
  subscriber: {
    id: string;
    email: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    confirmedAt: string | null;
    unsubscribedAt: string | null;
  };
  consent: { at: string | null; source: string; ipHash: string | null; userAgent: string | null };
  subscriptions: Array<{ topic: string; topicSlug: string; frequency: string; since: string }>;
  history: Array<{ at: string; kind: string; actor: string; details: unknown }>;
}

/**
 * "Download my data": everything stored about this one subscriber (the record, consent evidence,
 * memberships with topic names and frequency, and history), read in the same transaction that
 * records the export itself, so the file includes that event. Queries go by subscriber id only.
 */
export async function exportSubscriberData(ctx: AppContext, input: { subscriberId: string }): Promise<SubscriberDataExport> {
  return ctx.db.transaction().execute(async (trx) => {
    await recordSubscriberEvent(trx, ctx.clock, { subscriberId: input.subscriberId, kind: 'exported', actor: 'subscriber' });
    const row = await trx.selectFrom('subscribers').selectAll().where('id', '=', input.subscriberId).executeTakeFirstOrThrow();
    const memberships = await trx
      .selectFrom('subscriptions')
      .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
      .select(['subscription_topics.name', 'subscription_topics.slug', 'subscriptions.frequency', 'subscriptions.created_at'])
      .where('subscriptions.subscriber_id', '=', input.subscriberId)
      .orderBy('subscription_topics.position')
      .orderBy('subscription_topics.name')
      .execute();
    const events = await trx
      .selectFrom('subscriber_events')
      .select(['at', 'kind', 'actor', 'details'])
      .where('subscriber_id', '=', input.subscriberId)
      .orderBy('id')
      .execute();
    return {
      exportedAt: ctx.clock.now().toISOString(),
      subscriber: {
        id: row.id,
        email: row.email,
        status: row.status,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        confirmedAt: row.confirmed_at,
        unsubscribedAt: row.unsubscribed_at,
      },
      consent: { at: row.consent_at, source: row.consent_source, ipHash: row.consent_ip_hash, userAgent: row.consent_user_agent },
      subscriptions: memberships.map((m) => ({ topic: m.name, topicSlug: m.slug, frequency: m.frequency, since: m.created_at })),
      history: events.map((e) => ({ at: e.at, kind: e.kind, actor: e.actor, details: parseDetails(e.details) })),
    };
  });
}

function parseDetails(details: string): unknown {
  try {
    return JSON.parse(details);
  } catch {
    return details;
  }
}
