import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { JobHandler } from '../../platform/jobs/index.ts';
import { createMonthlyDigest, MONTHLY_DIGEST_JOB, MONTHLY_DIGEST_SCHEDULE } from './create-monthly-digest.ts';
import { START_DUE_CAMPAIGNS_JOB, startDueCampaigns } from './start-due-campaigns.ts';

/** Recurring campaign jobs. */
export const campaignSchedules: { name: string; cron: string; timeZone: string }[] = [
  // Scheduled campaigns start within a minute of their time.
  { name: START_DUE_CAMPAIGNS_JOB, cron: '* * * * *', timeZone: 'UTC' },
  MONTHLY_DIGEST_SCHEDULE,
];

// The schedule passes the occurrence it fired for; the digest's month follows from it, so a run
// delayed past midnight (or a retry) still sends the month it was meant for.
const digestPayload = z.object({ scheduledFor: z.iso.datetime().optional() }).loose();

/** Handlers of the campaign jobs, by name. */
export function campaignJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    [START_DUE_CAMPAIGNS_JOB]: async () => {
      const result = await startDueCampaigns(ctx);
      if (result.started.length + result.refused.length > 0) ctx.log.info(result, 'due campaigns swept');
    },
    [MONTHLY_DIGEST_JOB]: async (payload) => {
      const { scheduledFor } = digestPayload.parse(payload ?? {});
      const result = await createMonthlyDigest(ctx, scheduledFor ? { at: new Date(scheduledFor) } : {});
      ctx.log.info(result, 'monthly digest');
    },
  };
}
