import { CronExpressionParser } from 'cron-parser';
import { type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { enqueueJob } from './queue.ts';

export interface ScheduleDefinition {
  /** Schedule name; also the name of the job it enqueues, so it needs a handler of that name. */
  name: string;
  /** Five fields (minute precision) or six (leading seconds), as cron-parser reads them. */
  cron: string;
  /** IANA zone the cron fields are read in, e.g. "America/New_York". */
  timeZone: string;
}

/** Throws a descriptive Error unless `timeZone` is a zone both Intl and cron-parser accept. */
function assertTimeZone(name: string, timeZone: string): void {
  try {
    if (!timeZone.trim()) throw new Error('empty');
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`Schedule "${name}": "${timeZone}" is not a valid IANA time zone (e.g. "America/New_York")`);
  }
}

/** The first occurrence of `cron` in `timeZone` strictly after `after`; throws a clear Error on bad input. */
export function nextOccurrence(schedule: ScheduleDefinition, after: Date): Date {
  const { name, cron, timeZone } = schedule;
  assertTimeZone(name, timeZone);
  // cron-parser reads an empty string as "* * * * *"; an empty setting is a mistake, not "every minute".
  if (!cron.trim()) throw new Error(`Schedule "${name}": the cron expression is empty`);
  try {
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Schedule "${name}": invalid cron expression "${cron}" (${reason})`);
  }
}

/**
 * Creates or updates a recurring schedule. Re-defining it unchanged (as every restart does) keeps
 * its next_run_at, so a restart neither shifts nor drops an occurrence that is due or overdue.
 */
export async function defineSchedule(db: Db, clock: Clock, schedule: ScheduleDefinition): Promise<void> {
  if (!schedule.name) throw new Error('defineSchedule: a schedule needs a name');
  const now = clock.now();
  const nextRunAt = iso(nextOccurrence(schedule, now)); // validates before anything is written
  const row = {
    name: schedule.name,
    cron: schedule.cron,
    time_zone: schedule.timeZone,
    next_run_at: nextRunAt,
    updated_at: iso(now),
  };
  // DO NOTHING rather than a blind upsert: two runners starting together must not both write, and
  // an existing row's next_run_at is only recomputed when its cron or zone actually changed.
  const inserted = await db
    .insertInto('job_schedules')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('name')
    .executeTakeFirst();
  if (inserted) return;
  await db
    .updateTable('job_schedules')
    .set({ cron: row.cron, time_zone: row.time_zone, next_run_at: row.next_run_at, updated_at: row.updated_at })
    .where('name', '=', schedule.name)
    .where((eb) => eb.or([eb('cron', '!=', schedule.cron), eb('time_zone', '!=', schedule.timeZone)]))
    .execute();
}

/**
 * Enqueues one job per due schedule and advances it; returns how many fired. An occurrence fires
 * at most once however many runners call this, and occurrences missed while nothing ran coalesce
 * into a single job. `dialect` is accepted for symmetry with claimDueJobs: the conditional UPDATE
 * below behaves the same on both engines.
 */
export async function fireDueSchedules(db: Db, _dialect: 'sqlite' | 'postgres', clock: Clock): Promise<number> {
  const now = clock.now();
  const due = await db.selectFrom('job_schedules').selectAll().where('next_run_at', '<=', iso(now)).execute();
  let fired = 0;
  const errors: unknown[] = [];
  for (const schedule of due) {
    try {
      const occurrence = schedule.next_run_at;
      // The next occurrence after *now*, not after the one being fired: skipped ones coalesce.
      const next = nextOccurrence({ name: schedule.name, cron: schedule.cron, timeZone: schedule.time_zone }, now);
      // One transaction, so a crash cannot advance the schedule without enqueueing its job.
      const won = await db.transaction().execute(async (trx) => {
        // Compare-and-set on the value we read: of two runners that both saw this occurrence due,
        // only the first to update matches; PostgreSQL re-checks the WHERE after the row lock.
        const advanced = await trx
          .updateTable('job_schedules')
          .set({ next_run_at: iso(next), updated_at: iso(now) })
          .where('name', '=', schedule.name)
          .where('next_run_at', '=', occurrence)
          .executeTakeFirst();
        if (Number(advanced.numUpdatedRows) !== 1) return false;
        // The unique key makes a replayed occurrence harmless even if the above were bypassed.
        await enqueueJob(trx, clock, {
          name: schedule.name,
          payload: { scheduledFor: occurrence },
          uniqueKey: `${schedule.name}:${occurrence}`,
        });
        return true;
      });
      if (won) fired++;
    } catch (err) {
      // One broken schedule must not starve the others; report it after they have had their turn.
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} schedules failed to fire`);
  return fired;
}
