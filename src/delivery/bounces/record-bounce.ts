import { sql, type Transaction } from 'kysely';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { BounceKind, BounceSource, Database } from '../../platform/db/schema.ts';
import { subscriberIdByAddress, suppressForDelivery } from '../../subscriptions/audience.ts';
import { shortDiagnostic } from './report-fields.ts';

export interface BounceReport {
  campaignId: number | null;
  subscriberId: string | null;
  kind: BounceKind;
  source: BounceSource;
  /** RFC 3463 enhanced status, e.g. "5.1.1", when known. */
  statusCode: string | null;
  diagnostic: string;
  /**
   * The address that failed or complained, when the report names one. Used only when no delivery
   * is known and the report is authenticated (the signed webhook): a subscriber with that address is
   * acted on (the row keeps a null campaign). Anyone can mail the bounce mailbox, so a mailbox report
   * without a genuine delivery token is stored for the operator and suppresses nobody.
   */
  recipient?: string | null | undefined;
}

export interface RecordedBounce {
  /** False when this report was already on record (same delivery, kind and source): nothing was done. */
  recorded: boolean;
  campaignId: number | null;
  subscriberId: string | null;
  /** The suppression this report caused (or confirmed), or null when it caused none. */
  suppressed: 'hard_bounce' | 'complaint' | null;
}

type BounceContext = Pick<AppContext, 'db' | 'dialect' | 'clock' | 'config'>;

/**
 * Stores a bounce or complaint and acts on it, in one transaction (the caller's, when it passes
 * one): hard bounce or complaint → the address is suppressed at once; the SOFT_BOUNCE_LIMIT-th soft
 * bounce → suppressed as a hard bounce. A report about a known delivery counts once however many
 * times it arrives (a mailbox file read again after a crash, a provider retrying its webhook, a
 * delay warning followed by the final failure), so a repeat neither adds a row nor moves the count.
 * A report tied to nobody is stored with null ids for the operator and acts on nothing.
 */
export async function recordBounce(ctx: BounceContext, report: BounceReport, trx?: Transaction<Database>): Promise<RecordedBounce> {
  const run = async (db: Transaction<Database>): Promise<RecordedBounce> => {
    const trustedAddress = report.source !== 'mailbox' && report.recipient ? report.recipient : null;
    const subscriberId = report.subscriberId ?? (trustedAddress ? await subscriberIdByAddress(db, trustedAddress) : null);
    const campaignId = report.campaignId;
    if (subscriberId && ctx.dialect === 'postgres') {
      // One subscriber's reports are recorded one at a time, so two arriving together can neither
      // both pass the duplicate check nor both count N − 1 soft bounces. SQLite has one writer anyway.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`delivery-bounce:${subscriberId}`}, 0))`.execute(db);
    }
    if (campaignId !== null && subscriberId !== null) {
      const seen = await db
        .selectFrom('delivery_bounces')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('subscriber_id', '=', subscriberId)
        .where('kind', '=', report.kind)
        .where('source', '=', report.source)
        .executeTakeFirst();
      if (seen) return { recorded: false, campaignId, subscriberId, suppressed: null };
    }
    await db
      .insertInto('delivery_bounces')
      .values({
        campaign_id: campaignId,
        subscriber_id: subscriberId,
        kind: report.kind,
        source: report.source,
        status_code: report.statusCode,
        diagnostic: shortDiagnostic(report.diagnostic),
        received_at: iso(ctx.clock.now()),
      })
      .execute();
    if (!subscriberId) return { recorded: true, campaignId, subscriberId, suppressed: null };

    const details = { campaignId, source: report.source, statusCode: report.statusCode };
    let reason: RecordedBounce['suppressed'] = null;
    if (report.kind === 'complaint') reason = 'complaint';
    else if (report.kind === 'hard') reason = 'hard_bounce';
    else {
      const soft = await db
        .selectFrom('delivery_bounces')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subscriber_id', '=', subscriberId)
        .where('kind', '=', 'soft')
        .executeTakeFirstOrThrow();
      if (Number(soft.n) >= ctx.config.delivery.softBounceLimit) reason = 'hard_bounce';
      Object.assign(details, { softBounces: Number(soft.n) });
    }
    if (reason === null) return { recorded: true, campaignId, subscriberId, suppressed: null };
    const suppressed = await suppressForDelivery(ctx, { subscriberId, reason, details }, db);
    return { recorded: true, campaignId, subscriberId, suppressed: suppressed ? reason : null };
  };
  return trx ? run(trx) : ctx.db.transaction().execute(run);
}
