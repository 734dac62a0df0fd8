import type { Db } from '../../platform/db/database.ts';

// The statements that move ledger rows (delivery_recipients) through a send. Every write of a
// claimed row names its claim: lease_owner = this worker AND attempts = the count its claim set.
// That is the fence: a worker whose lease ran out and whose rows another worker (or its own later
// claim) took over cannot overwrite the newer claim's result.

/** A row as a claim returns it. */
export interface ClaimedRecipient {
  subscriberId: string;
  topicId: string;
  /** The attempt this claim is (attempts after the claim counted it): part of the fence. */
  attempts: number;
}

/** Who holds the claims being written. */
export interface ClaimHolder {
  campaignId: number;
  owner: string;
}

const OPEN = ['pending', 'sending'] as const;

/**
 * Atomically takes up to `limit` claimable rows of a sending campaign for `owner` and returns them.
 * Claimable: pending and due, or sending with an expired lease (its worker died or stalled: the
 * lease expiry lives in due_at, so one index range finds both and nothing reclaims separately).
 *
 * One statement, WITH picked AS MATERIALIZED (SELECT … LIMIT n) UPDATE … FROM picked RETURNING …,
 * for the reasons given in platform/jobs/lease.ts: on PostgreSQL the CTE takes FOR UPDATE SKIP
 * LOCKED so concurrent workers lock disjoint rows without waiting, and MATERIALIZED makes it run
 * once (as a semi-join subquery it may be re-run per row and over-claim); on SQLite the single
 * write statement holds the write lock from its first read, so it is the single writer. No ORDER
 * BY: sorting a million due rows for every batch would cost more than the send; the index range
 * (campaign_id, status, due_at) hands rows out in due order anyway. A paused or cancelled campaign
 * yields nothing, so a claim racing a pause takes no rows.
 */
export async function claimRecipients(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  options: ClaimHolder & { limit: number; now: string; leaseUntil: string },
): Promise<ClaimedRecipient[]> {
  if (options.limit < 1) return [];
  const rows = await db
    .with(
      (cte) => cte('picked').materialized(),
      (qb) =>
        qb
          .selectFrom('delivery_recipients')
          .select('subscriber_id as picked_id')
          .where('campaign_id', '=', options.campaignId)
          .where('status', 'in', OPEN)
          .where('due_at', '<=', options.now)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('delivery_campaigns')
                .select('delivery_campaigns.id')
                .where('delivery_campaigns.id', '=', options.campaignId)
                .where('delivery_campaigns.status', '=', 'sending'),
            ),
          )
          .limit(options.limit)
          .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .updateTable('delivery_recipients')
    .from('picked')
    .set((eb) => ({ status: 'sending', lease_owner: options.owner, due_at: options.leaseUntil, attempts: eb('attempts', '+', 1) }))
    // Only the primary key: the CTE's rows are ours (locked on PostgreSQL, under the single writer on
    // SQLite), and repeating its conditions here would invite the planner to walk the claimable
    // index and compare every row with every picked one instead of looking the picked rows up.
    .where('delivery_recipients.campaign_id', '=', options.campaignId)
    .whereRef('delivery_recipients.subscriber_id', '=', 'picked.picked_id')
    .returning(['subscriber_id', 'topic_id', 'attempts'])
    .execute();
  return rows.map((row) => ({ subscriberId: row.subscriber_id, topicId: row.topic_id, attempts: Number(row.attempts) }));
}

/** Rows by the attempt number of their claim, so a grouped write can carry the fence per group. */
function byAttempt(rows: readonly ClaimedRecipient[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const row of rows) {
    const group = groups.get(row.attempts);
    if (group) group.push(row.subscriberId);
    else groups.set(row.attempts, [row.subscriberId]);
  }
  return groups;
}

// Longer IN lists are split: PostgreSQL allows 65,535 parameters, older SQLite builds 999.
const MAX_IDS_PER_STATEMENT = 500;

async function forEachGroup(
  rows: readonly ClaimedRecipient[],
  write: (attempts: number, ids: string[]) => Promise<bigint>,
): Promise<number> {
  let changed = 0;
  for (const [attempts, ids] of byAttempt(rows)) {
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_STATEMENT) {
      changed += Number(await write(attempts, ids.slice(i, i + MAX_IDS_PER_STATEMENT)));
    }
  }
  return changed;
}

/**
 * Rows whose messages the server accepted. A row the campaign's cancellation marked skipped while
 * its message was in flight is still ours and was still sent, so it becomes sent. due_at takes the
 * send time: a sent row needs no lease, and the index (campaign_id, status, due_at) then answers
 * "sent in the last minute" for the progress rate without reading the table.
 */
export function markSent(db: Db, holder: ClaimHolder, rows: readonly ClaimedRecipient[], at: string): Promise<number> {
  return forEachGroup(rows, async (attempts, ids) => {
    const result = await db
      .updateTable('delivery_recipients')
      .set({ status: 'sent', sent_at: at, due_at: at, last_error: null })
      .where('campaign_id', '=', holder.campaignId)
      .where('subscriber_id', 'in', ids)
      .where('lease_owner', '=', holder.owner)
      .where('attempts', '=', attempts)
      .where('status', 'in', ['sending', 'skipped'])
      .executeTakeFirst();
    return result.numUpdatedRows;
  });
}

/** A transient failure: the row waits until `dueAt` and is then claimable again, by anyone. */
export async function scheduleRetry(db: Db, holder: ClaimHolder, row: ClaimedRecipient, dueAt: string, error: string): Promise<boolean> {
  const result = await db
    .updateTable('delivery_recipients')
    .set({ status: 'pending', due_at: dueAt, lease_owner: null, last_error: error })
    .where('campaign_id', '=', holder.campaignId)
    .where('subscriber_id', '=', row.subscriberId)
    .where('lease_owner', '=', holder.owner)
    .where('attempts', '=', row.attempts)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A permanent failure (or too many transient ones). due_at takes the time, so recent errors sort first. */
export async function markFailed(db: Db, holder: ClaimHolder, row: ClaimedRecipient, at: string, error: string): Promise<boolean> {
  const result = await db
    .updateTable('delivery_recipients')
    .set({ status: 'failed', due_at: at, last_error: error })
    .where('campaign_id', '=', holder.campaignId)
    .where('subscriber_id', '=', row.subscriberId)
    .where('lease_owner', '=', holder.owner)
    .where('attempts', '=', row.attempts)
    .where('status', 'in', ['sending', 'skipped'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Rows that must not be sent (the recipient is no longer eligible), with the reason for the report. */
export function markSkipped(db: Db, holder: ClaimHolder, rows: readonly ClaimedRecipient[], reason: string): Promise<number> {
  return forEachGroup(rows, async (attempts, ids) => {
    const result = await db
      .updateTable('delivery_recipients')
      .set({ status: 'skipped', last_error: reason })
      .where('campaign_id', '=', holder.campaignId)
      .where('subscriber_id', 'in', ids)
      .where('lease_owner', '=', holder.owner)
      .where('attempts', '=', attempts)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows;
  });
}

/**
 * Gives back claimed rows that were never handed to the transport (the campaign was paused, the
 * worker is stopping, or the lease is about to run out): pending and due now, and the claim's
 * attempt uncounted, since nothing was tried. Otherwise fifty pauses would use up a row's attempts.
 */
export function releaseClaims(db: Db, holder: ClaimHolder, rows: readonly ClaimedRecipient[], at: string): Promise<number> {
  return forEachGroup(rows, async (attempts, ids) => {
    const result = await db
      .updateTable('delivery_recipients')
      .set((eb) => ({ status: 'pending', due_at: at, lease_owner: null, attempts: eb('attempts', '-', 1) }))
      .where('campaign_id', '=', holder.campaignId)
      .where('subscriber_id', 'in', ids)
      .where('lease_owner', '=', holder.owner)
      .where('attempts', '=', attempts)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows;
  });
}

/**
 * The campaign becomes finished when, and only when, no row is pending or sending: computed from
 * the rows in the same statement, never from a worker's counters. Returns whether it did.
 */
export async function finishIfDone(db: Db, campaignId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('delivery_campaigns')
    .set({ status: 'finished', finished_at: at, updated_at: at })
    .where('id', '=', campaignId)
    .where('status', '=', 'sending')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('delivery_recipients')
            .select('delivery_recipients.subscriber_id')
            .where('delivery_recipients.campaign_id', '=', campaignId)
            .where('delivery_recipients.status', 'in', OPEN),
        ),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** When the earliest open row of these campaigns becomes claimable (a retry's backoff, a lease's expiry). */
export async function nextDueAt(db: Db, campaignIds: readonly number[]): Promise<string | null> {
  if (campaignIds.length === 0) return null;
  const row = await db
    .selectFrom('delivery_recipients')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('campaign_id', 'in', [...campaignIds])
    .where('status', 'in', OPEN)
    .executeTakeFirst();
  return row?.due ?? null;
}
