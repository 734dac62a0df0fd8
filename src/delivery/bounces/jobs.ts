import type { Config } from '../../config.ts';
import type { AppContext } from '../../platform/context.ts';
import type { JobHandler, ScheduleDefinition } from '../../platform/jobs/index.ts';
import { READ_BOUNCE_MAILBOX_JOB, readBounceMailbox } from './read-bounce-mailbox.ts';

/** The bounce mailbox is read every minute, but only where BOUNCE_MAILDIR names one. */
export function bounceSchedules(config: Pick<Config, 'delivery'>): ScheduleDefinition[] {
  return config.delivery.bounceMaildir ? [{ name: READ_BOUNCE_MAILBOX_JOB, cron: '* * * * *', timeZone: 'UTC' }] : [];
}

/** Handlers of the bounce jobs, by name. */
export function bounceJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    // Also registered without BOUNCE_MAILDIR: a schedule left from when it was set must find a handler (that does nothing).
    [READ_BOUNCE_MAILBOX_JOB]: async () => {
      const counts = await readBounceMailbox(ctx);
      if (counts.processed + counts.unreadable + counts.failed > 0) ctx.log.info(counts, 'bounce mailbox read');
    },
  };
}
