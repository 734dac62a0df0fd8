import { addMs, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { UNCONFIRMED_RETENTION_MS } from './signup-rules.ts';

/** Pending subscribers removed per transaction. */
const BATCH_SIZE = 500;

export interface PurgeSummary {
  requests: number;
  subscribers: number;
}

/**
 * The job `subscriptions.purge-unconfirmed` (hourly): sign-ups nobody confirmed leave no trace.
 * First the requests whose link expired (or that had nothing to mail), and those never processed
 * within the retention; then pending subscribers older than the retention that have no request
 * left that could still confirm them, with their memberships, history and tokens, in batches of
 * one transaction each.
 */
export async function purgeUnconfirmed(ctx: AppContext): Promise<PurgeSummary> {
  const now = ctx.clock.now();
  const nowIso = iso(now);
  const cutoff = iso(addMs(now, -UNCONFIRMED_RETENTION_MS));

  const removedRequests = await ctx.db
    .deleteFrom('subscription_requests')
    .where((eb) => eb.or([eb('expires_at', '<', nowIso), eb.and([eb('processed_at', 'is', null), eb('created_at', '<', cutoff)])]))
    .executeTakeFirst();

  let subscribers = 0;
  for (;;) {
    const removed = await ctx.db.transaction().execute(async (trx) => {
      const ids = (
        await trx
          .selectFrom('subscribers')
          .select('id')
          .where('status', '=', 'pending')
          .where('created_at', '<', cutoff)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('subscription_requests as request')
                  .select('request.id')
                  .whereRef('request.email', '=', 'subscribers.email')
                  // Waiting to be processed, or mailed with a link that still works.
                  .where((eb) => eb.or([eb('request.processed_at', 'is', null), eb('request.expires_at', '>=', nowIso)])),
              ),
            ),
          )
          .orderBy('id')
          .limit(BATCH_SIZE)
          // Locked, so a confirmation cannot slip in between this read and the deletes below.
          .$if(ctx.dialect === 'postgres', (q) => q.forUpdate())
          .execute()
      ).map((row) => row.id);
      if (ids.length === 0) return { selected: 0, removed: 0 };
      // Memberships first: they have no cascade, so the count triggers see each one go.
      await trx.deleteFrom('subscriptions').where('subscriber_id', 'in', ids).execute();
      await trx.deleteFrom('subscriber_events').where('subscriber_id', 'in', ids).execute();
      await trx.deleteFrom('subscriber_access_tokens').where('subscriber_id', 'in', ids).execute();
      const result = await trx.deleteFrom('subscribers').where('id', 'in', ids).executeTakeFirst();
      return { selected: ids.length, removed: Number(result.numDeletedRows) };
    });
    subscribers += removed.removed;
    if (removed.selected < BATCH_SIZE) break;
  }
  return { requests: Number(removedRequests.numDeletedRows), subscribers };
}
