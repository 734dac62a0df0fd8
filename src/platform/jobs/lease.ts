import type { ExpressionBuilder, Selectable } from 'kysely';
import { addMs, type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Database, JobsTable } from '../db/schema.ts';

export type Job = Selectable<JobsTable>;

export interface ClaimOptions {
  /** Identifies the claiming runner; finishing a job requires still being its lease owner. */
  owner: string;
  /** Most jobs to claim in one go. */
  limit: number;
  /** How long the claim lasts before another runner may reclaim the job. */
  leaseMs: number;
}

// Listed rather than RETURNING jobs.*, which SQLite refuses (and plain * would add picked_id on
// PostgreSQL). Typing the result as Job[] makes tsc flag a column added to the table but not here.
const JOB_COLUMNS = [
  'id',
  'name',
  'payload',
  'status',
  'run_at',
  'attempts',
  'max_attempts',
  'lease_owner',
  'lease_expires_at',
  'last_error',
  'unique_key',
  'created_at',
  'finished_at',
] as const satisfies readonly (keyof JobsTable)[];

/** Queued jobs that are due, or running jobs whose lease ran out (runner crashed, hung or too slow). */
function claimable(eb: ExpressionBuilder<Database, 'jobs'>, now: string) {
  return eb.or([
    eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
    eb.and([
      eb('status', '=', 'running'),
      eb('lease_expires_at', '<', now),
      // A job whose last lease ran out on its final attempt is failed below, not run again.
      eb('attempts', '<', eb.ref('max_attempts')),
    ]),
  ]);
}

/**
 * Atomically claims up to `limit` due jobs for `owner` and returns them, attempts already counted.
 *
 * One statement on both engines: WITH picked AS MATERIALIZED (SELECT id ... LIMIT n) UPDATE jobs
 * ... FROM picked RETURNING <the job's columns>.
 * - PostgreSQL: the CTE takes FOR UPDATE SKIP LOCKED, so concurrent claimers lock disjoint rows
 *   without waiting on each other. It is a MATERIALIZED CTE rather than WHERE id IN (subquery):
 *   the planner may put that subquery on the inner side of a nested-loop semi-join and re-run it
 *   for every outer row, each run skipping different locked rows, so one claimer took 60 jobs
 *   with a limit of 4 in this suite's concurrency test. A materialized CTE runs exactly once.
 *   The outer WHERE repeats the due test as a second guard against rows changed since the snapshot.
 * - SQLite: no SKIP LOCKED, and Kysely's transaction() only issues a deferred BEGIN. A single
 *   autocommit write statement needs neither: SQLite takes the write lock before the statement
 *   reads anything (in effect BEGIN IMMEDIATE), so the select and the update see the same state and
 *   a second runner on the same file waits (busy_timeout) and then sees the rows as running.
 */
export async function claimDueJobs(db: Db, dialect: 'sqlite' | 'postgres', clock: Clock, options: ClaimOptions): Promise<Job[]> {
  const now = clock.now();
  const nowIso = iso(now);
  await failExhaustedLeases(db, nowIso);
  if (options.limit < 1) return [];
  const claimed: Job[] = await db
    .with(
      (cte) => cte('picked').materialized(),
      (qb) =>
        qb
          .selectFrom('jobs')
          .select('id as picked_id')
          .where((eb) => claimable(eb, nowIso))
          .orderBy('run_at')
          .orderBy('id')
          .limit(options.limit)
          .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .updateTable('jobs')
    .from('picked')
    .set((eb) => ({
      status: 'running',
      lease_owner: options.owner,
      lease_expires_at: iso(addMs(now, options.leaseMs)),
      attempts: eb('attempts', '+', 1),
    }))
    .whereRef('jobs.id', '=', 'picked.picked_id')
    .where((eb) => claimable(eb, nowIso))
    .returning(JOB_COLUMNS)
    .execute();
  return claimed;
}

/**
 * A job whose lease expired on its last allowed attempt most likely crashed or hung its runner;
 * running it yet again would repeat that forever, so it is failed instead.
 */
async function failExhaustedLeases(db: Db, nowIso: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      finished_at: nowIso,
      lease_owner: null,
      lease_expires_at: null,
      last_error: 'lease expired on the final attempt (the runner crashed or the job outlived its lease)',
    })
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', nowIso)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .execute();
}
