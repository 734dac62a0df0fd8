import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { SubscriberStatus, SuppressionReason } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { recordSubscriberEvent } from '../history.ts';
import { emailHash } from '../keys.ts';
import { auditFieldsOf, historyActorOf, type StaffActor } from '../staff-actor.ts';
import { subscriberIdOf } from './get-subscriber-record.ts';

/**
 * Staff suppress an address (reason "manual"): the subscriber becomes unsubscribed, and the keyed
 * hash of the address goes on the suppression list, so the system never mails it again, not even a
 * confirmation, and no import re-adds it. A "deleted" entry (which would let the person subscribe
 * again) is upgraded to "manual"; a bounce or complaint entry already blocks everything and stays.
 */
export async function suppressSubscriber(
  ctx: AppContext,
  options: { subscriberId: string; actor: StaffActor },
): Promise<{ changed: boolean; from: SubscriberStatus; suppression: SuppressionReason }> {
  const id = subscriberIdOf(options.subscriberId);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('subscribers').select(['email', 'status']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('That subscriber');
    const hash = emailHash(ctx.config.secret, row.email);
    const existing = await trx.selectFrom('subscriber_suppressions').select('reason').where('email_hash', '=', hash).executeTakeFirst();
    const blocked = existing !== undefined && existing.reason !== 'deleted';
    if (row.status === 'unsubscribed' && blocked) return { changed: false, from: row.status, suppression: existing.reason };

    const now = iso(ctx.clock.now());
    if (row.status !== 'unsubscribed') {
      await trx
        .updateTable('subscribers')
        .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
    if (!blocked) {
      await trx
        .insertInto('subscriber_suppressions')
        .values({ email_hash: hash, reason: 'manual', created_at: now })
        .onConflict((oc) => oc.column('email_hash').doUpdateSet({ reason: 'manual', created_at: now }))
        .execute();
    }
    const suppression: SuppressionReason = blocked ? existing.reason : 'manual';
    await recordSubscriberEvent(trx, ctx.clock, {
      subscriberId: id,
      kind: 'suppressed',
      actor: historyActorOf(options.actor),
      details: { from: row.status, reason: suppression },
    });
    return { changed: true, from: row.status, suppression };
  });
  if (result.changed) {
    await ctx.audit.record({
      action: 'subscriber.suppressed',
      ...auditFieldsOf(options.actor),
      subjectType: 'subscriber',
      subjectId: id,
      details: { from: result.from, reason: result.suppression },
    });
  }
  return result;
}
