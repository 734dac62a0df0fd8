import type { AppContext } from '../../platform/context.ts';
import type { JobHandler } from '../../platform/jobs/index.ts';
import { START_CAMPAIGN_JOB } from './start-campaign.ts';
import { writeCampaignLedger } from './write-ledger.ts';

/** Handlers for the engine's jobs, by name. */
export function engineJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    // Send was pressed: compile the message and write the ledger, once (write-ledger.ts).
    [START_CAMPAIGN_JOB]: async (payload) => {
      await writeCampaignLedger(ctx, payload);
    },
  };
}
