import { type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Finished jobs are evidence for a day; a payload may hold an e-mail address, so it is not kept longer. */
export const DONE_JOB_RETENTION_MS = DAY_MS;
/** Failed jobs stay a month, so an operator can see what went wrong and why. */
export const FAILED_JOB_RETENTION_MS = 30 * DAY_MS;

/** Deletes jobs that finished (done or failed for good) longer ago than their retention. */
export async function purgeFinishedJobs(db: Db, clock: Clock): Promise<number> {
  const now = clock.now().getTime();
  const result = await db
    .deleteFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'done'), eb('finished_at', '<', iso(new Date(now - DONE_JOB_RETENTION_MS)))]),
        eb.and([eb('status', '=', 'failed'), eb('finished_at', '<', iso(new Date(now - FAILED_JOB_RETENTION_MS)))]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes the finished (done or failed) jobs of one name whose payload is exactly `payload`, for a
 * feature that must forget personal data a payload carried (a subscriber's "delete me").
 */
export async function forgetFinishedJobs(db: Db, job: { name: string; payload: unknown }): Promise<void> {
  await db
    .deleteFrom('jobs')
    .where('name', '=', job.name)
    .where('status', 'in', ['done', 'failed'])
    .where('payload', '=', JSON.stringify(job.payload))
    .execute();
}
