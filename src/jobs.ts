import { purgeExpiredAuthTokens } from './accounts/auth-tokens.ts';
import { bounceJobHandlers, bounceSchedules } from './delivery/bounces/jobs.ts';
import { campaignJobHandlers, campaignSchedules } from './delivery/campaigns/jobs.ts';
import { engineJobHandlers } from './delivery/engine/jobs.ts';
import { purgeExpiredSessions } from './platform/auth/sessions.ts';
import type { AppContext } from './platform/context.ts';
import { purgeExpiredRateLimits } from './platform/http/rate-limit.ts';
import { defineSchedule, type JobHandler, JobRunner } from './platform/jobs/index.ts';
import { purgeFinishedJobs } from './platform/jobs/purge.ts';
import { editorialJobHandlers } from './publishing/editorial/jobs.ts';
import { subscriptionJobHandlers, subscriptionSchedules } from './subscriptions/jobs.ts';

/** Recurring jobs every installation runs. Features add theirs here. */
const schedules = [{ name: 'platform.cleanup', cron: '*/15 * * * *', timeZone: 'UTC' }, ...subscriptionSchedules, ...campaignSchedules];

/** Handlers by job name. */
function handlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    ...editorialJobHandlers(ctx),
    ...subscriptionJobHandlers(ctx),
    ...bounceJobHandlers(ctx),
    ...campaignJobHandlers(ctx),
    ...engineJobHandlers(ctx),
    // Expired sessions, spent or expired links, finished rate-limit windows and old finished jobs: nothing to keep.
    'platform.cleanup': async () => {
      await purgeExpiredSessions(ctx.db, ctx.clock);
      await purgeExpiredAuthTokens(ctx);
      await purgeExpiredRateLimits(ctx.db, ctx.clock);
      await purgeFinishedJobs(ctx.db, ctx.clock);
    },
  };
}

/** Defines the recurring schedules and returns a runner for `serve` or `worker`. */
export async function createJobRunner(ctx: AppContext): Promise<JobRunner> {
  for (const schedule of [...schedules, ...bounceSchedules(ctx.config)]) await defineSchedule(ctx.db, ctx.clock, schedule);
  return new JobRunner({ db: ctx.db, dialect: ctx.dialect, clock: ctx.clock, log: ctx.log, handlers: handlers(ctx) });
}
