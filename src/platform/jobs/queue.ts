import { sql } from 'kysely';
import { type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';

export interface EnqueueJobOptions {
  name: string;
  /** Anything JSON can carry; stored as JSON text. Defaults to `{}`. */
  payload?: unknown;
  /** When the job becomes due; defaults to now. */
  runAt?: Date;
  /** Total tries, first run included. Defaults to 5. */
  maxAttempts?: number;
  /** At most one queued or running job per key; a second enqueue returns the first job's id. */
  uniqueKey?: string;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

// An insert that lost to a concurrent one and then found the winner already finished would loop
// forever in theory; in practice one more try always succeeds, so a handful is plenty.
const MAX_INSERT_TRIES = 5;

// The predicate of the partial index jobs_unique_key, as literal SQL: SQLite only matches an
// ON CONFLICT target to a partial index whose WHERE it can prove syntactically, and bound
// parameters (what Kysely would send for the values) do not count.
const LIVE_STATUS = sql<boolean>`status in ('queued', 'running')`;

/** Queues a job and returns its id, or the id of the live job already holding `uniqueKey`. */
export async function enqueueJob(db: Db, clock: Clock, options: EnqueueJobOptions): Promise<number> {
  const { name, uniqueKey } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!name) throw new Error('enqueueJob: a job needs a name');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`enqueueJob: maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const payload = JSON.stringify(options.payload ?? {});
  // JSON.stringify returns undefined for functions and symbols; refuse rather than store "undefined".
  if (payload === undefined) throw new Error(`enqueueJob: the payload of job "${name}" is not JSON-serialisable`);
  const now = clock.now();
  const values = {
    name,
    payload,
    status: 'queued' as const,
    run_at: iso(options.runAt ?? now),
    max_attempts: maxAttempts,
    unique_key: uniqueKey ?? null,
    created_at: iso(now),
  };

  if (uniqueKey === undefined) {
    const row = await db.insertInto('jobs').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  for (let tries = 0; tries < MAX_INSERT_TRIES; tries++) {
    // ON CONFLICT DO NOTHING against the partial index jobs_unique_key, rather than catching the
    // unique violation: on PostgreSQL a caught violation still aborts the caller's transaction
    // (fireDueSchedules enqueues inside one), while DO NOTHING waits for a concurrent inserter
    // to commit and then quietly inserts nothing.
    const inserted = await db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) => oc.column('unique_key').where(LIVE_STATUS).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return inserted.id;
    const existing = await db
      .selectFrom('jobs')
      .select('id')
      .where('unique_key', '=', uniqueKey)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (existing) return existing.id;
    // The job we collided with finished between the two statements: its key is free again.
  }
  throw new Error(`enqueueJob: could not enqueue "${name}" with unique key "${uniqueKey}" after ${MAX_INSERT_TRIES} tries`);
}
