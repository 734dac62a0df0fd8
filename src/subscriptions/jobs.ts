import type { AppContext } from '../platform/context.ts';
import type { JobHandler } from '../platform/jobs/index.ts';

/** Recurring subscription jobs (cron in UTC). */
export const subscriptionSchedules: { name: string; cron: string; timeZone: string }[] = [];

/** Handlers for subscription jobs, by name. */
export function subscriptionJobHandlers(_ctx: AppContext): Record<string, JobHandler> {
  return {};
}
