import { randomUUID } from 'node:crypto';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { recordSubscriberEvent } from '../history.ts';
import { emailHash } from '../keys.ts';
import { isBlockedAddress } from '../suppression.ts';
import { INVALID_CONFIRMATION_LINK, requestForToken } from './find-confirmation.ts';
import { addMemberships } from './process-subscription-requests.ts';
import { topicsForRequest } from './requested-topics.ts';
import { USER_AGENT_MAX } from './signup-rules.ts';

export interface ConfirmedSubscription {
  subscriberId: string;
  email: string;
  /** The public topics the subscriber now gets. */
  topics: SubscriptionTopic[];
}

/**
 * The double opt-in's second step (POST only). In one transaction: the subscriber becomes active
 * with this request's consent evidence, gets the topics asked for (added to what they had; someone
 * who had left gets exactly the public topics asked for, while private memberships staff gave stay
 * untouched), a "deleted" suppression of the address is lifted (this is the fresh consent that
 * re-admits it), the history records it, and the request is deleted so the link works once.
 */
export async function confirmSubscription(ctx: AppContext, input: { token: unknown }): Promise<ConfirmedSubscription> {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const request = await requestForToken(ctx, trx, input.token, { lock: true });
    if (!request) return null;
    const drop = () => trx.deleteFrom('subscription_requests').where('id', '=', request.id).execute();
    if (await isBlockedAddress(trx, ctx.config.secret, request.email)) {
      // Suppressed after the mail went out (a bounce, a complaint): the link dies with nothing done.
      await drop();
      return null;
    }

    const topics = await topicsForRequest(trx, request);
    const topicIds = topics.map((topic) => topic.id);
    const now = iso(ctx.clock.now());
    const consent = {
      consent_at: request.created_at,
      consent_source: request.source,
      consent_ip_hash: request.ip_hash,
      consent_user_agent: request.user_agent?.slice(0, USER_AGENT_MAX) ?? null,
    };

    const existing = await trx
      .selectFrom('subscribers')
      .select(['id', 'status'])
      .where('email', '=', request.email)
      .$if(ctx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    let subscriberId: string;
    if (!existing) {
      // New, or deleted ("delete me", the purge) since the request was mailed.
      subscriberId = randomUUID();
      await trx
        .insertInto('subscribers')
        .values({
          id: subscriberId,
          email: request.email,
          status: 'active',
          ...consent,
          confirmed_at: now,
          unsubscribed_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else {
      subscriberId = existing.id;
      // Someone already receiving mail who confirms more topics keeps their first confirmation
      // date, so the growth chart does not count them as joining twice.
      const joining = existing.status === 'pending' || existing.status === 'unsubscribed';
      // Status first, so the count triggers move the memberships that stay into "active".
      await trx
        .updateTable('subscribers')
        .set({ status: 'active', ...consent, ...(joining ? { confirmed_at: now } : {}), unsubscribed_at: null, updated_at: now })
        .where('id', '=', subscriberId)
        .execute();
      if (existing.status === 'unsubscribed') {
        // Coming back is a fresh choice: the public topics asked for now replace the old ones.
        await trx
          .deleteFrom('subscriptions')
          .where('subscriber_id', '=', subscriberId)
          .where('topic_id', 'in', (eb) => eb.selectFrom('subscription_topics').select('id').where('visibility', '=', 'public'))
          .$if(topicIds.length > 0, (q) => q.where('topic_id', 'not in', topicIds))
          .execute();
      }
    }
    await addMemberships(trx, subscriberId, topics, now);

    await trx
      .deleteFrom('subscriber_suppressions')
      .where('email_hash', '=', emailHash(ctx.config.secret, request.email))
      .where('reason', '=', 'deleted')
      .execute();
    await recordSubscriberEvent(trx, ctx.clock, {
      subscriberId,
      kind: 'confirmed',
      actor: 'subscriber',
      details: { topics: topics.map((topic) => topic.slug), source: request.source, ...(existing ? { from: existing.status } : {}) },
    });
    await drop();

    const nowSubscribed = await trx
      .selectFrom('subscription_topics as topic')
      .innerJoin('subscriptions', 'subscriptions.topic_id', 'topic.id')
      .selectAll('topic')
      .where('subscriptions.subscriber_id', '=', subscriberId)
      .where('topic.visibility', '=', 'public')
      .orderBy('topic.position')
      .orderBy('topic.name')
      .execute();
    return { subscriberId, email: request.email, topics: nowSubscribed };
  });
  if (!outcome) throw notFound(INVALID_CONFIRMATION_LINK);
  return outcome;
}
