import type { AppContext } from '../platform/context.ts';
import type { JobHandler } from '../platform/jobs/index.ts';
import { PURGE_STALE_IMPORTS_JOB, purgeStaleImports } from './import/purge-stale-imports.ts';
import { SEND_PREFERENCES_LINK_JOB } from './preferences/request-preferences-link.ts';
import { sendPreferencesLink } from './preferences/send-preferences-link.ts';
import { processSubscriptionRequests } from './signup/process-subscription-requests.ts';
import { purgeUnconfirmed } from './signup/purge-unconfirmed.ts';
import { PROCESS_REQUESTS_JOB, PURGE_UNCONFIRMED_JOB } from './signup/signup-rules.ts';

/** Recurring subscription jobs (cron in UTC). */
export const subscriptionSchedules: { name: string; cron: string; timeZone: string }[] = [
  // Unconfirmed sign-ups: expired links, and pending subscribers nobody confirmed within 7 days.
  { name: PURGE_UNCONFIRMED_JOB, cron: '5 * * * *', timeZone: 'UTC' },
  // A safety net for sign-up requests: POST /subscribe queues the job itself, but a request stored
  // while the job was finishing (its unique key still taken) waits for this sweep.
  { name: PROCESS_REQUESTS_JOB, cron: '*/5 * * * *', timeZone: 'UTC' },
  // CSV imports left undecided for a week, or cut off mid-check: their staged addresses go (import/).
  { name: PURGE_STALE_IMPORTS_JOB, cron: '35 * * * *', timeZone: 'UTC' },
];

/** Handlers for subscription jobs, by name. */
export function subscriptionJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    // Sign-ups: look each request's address up and mail its confirmation link (signup/).
    [PROCESS_REQUESTS_JOB]: async () => {
      await processSubscriptionRequests(ctx);
    },
    [PURGE_UNCONFIRMED_JOB]: async () => {
      const purged = await purgeUnconfirmed(ctx);
      ctx.log.info(purged, 'unconfirmed sign-ups purged');
    },
    [PURGE_STALE_IMPORTS_JOB]: async () => {
      const purged = await purgeStaleImports(ctx);
      if (purged.discarded + purged.failed > 0) ctx.log.info(purged, 'stale subscriber imports let go');
    },
    // POST /preferences: look the address up and, if it is a subscriber, mail a sign-in link.
    [SEND_PREFERENCES_LINK_JOB]: async (payload) => {
      await sendPreferencesLink(ctx, payload);
    },
  };
}
