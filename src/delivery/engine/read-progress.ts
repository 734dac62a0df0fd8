import { addMs, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { CampaignStatus, RecipientStatus } from '../../platform/db/schema.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';

export interface CampaignProgress {
  status: CampaignStatus;
  /** Ledger rows written when the send started. */
  recipients: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Messages accepted per second over the last minute (0 when none). */
  ratePerSecond: number;
  /** Seconds until the rows still open are sent at that rate; null when nothing is moving. */
  etaSeconds: number | null;
  /** The most recent distinct errors (failures and retries), newest first. */
  lastErrors: string[];
  pausedReason: string | null;
  finished: boolean;
}

const RATE_WINDOW_MS = 60_000;
const LAST_ERRORS = 5;
// How many recent rows of each kind to look through for distinct errors.
const ERROR_SAMPLE = 50;

/**
 * A campaign's progress, counted from its ledger rows: never from a worker's memory, so every
 * process, every restart and the CLI see the same figures. Each query is a range of the index
 * (campaign_id, status, due_at); a sent row's due_at is its send time (ledger.ts), which makes the
 * last minute's sends an index range too.
 */
export async function readProgress(ctx: AppContext, campaignId: number): Promise<CampaignProgress> {
  const campaign = await getCampaign(ctx, campaignId);
  const now = ctx.clock.now();
  const since = iso(addMs(now, -RATE_WINDOW_MS));
  const [counts, recent, failed, retrying] = await Promise.all([
    ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('status')
      .execute(),
    ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('due_at').as('first')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'sent')
      .where('due_at', '>=', since)
      .executeTakeFirstOrThrow(),
    recentErrors(ctx, campaignId, 'failed'),
    recentErrors(ctx, campaignId, 'pending'),
  ]);

  const by: Record<RecipientStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const row of counts) by[row.status] = Number(row.n);

  // Over the part of the last minute in which messages went out: after a pause or right after the
  // start, dividing by the whole minute would understate the rate.
  const sentLately = Number(recent.n);
  const spanMs = recent.first ? Math.min(RATE_WINDOW_MS, Math.max(1000, now.getTime() - new Date(recent.first).getTime())) : RATE_WINDOW_MS;
  const ratePerSecond = sentLately === 0 ? 0 : Math.round((sentLately * 10_000) / spanMs) / 10;
  const open = by.pending + by.sending;
  const etaSeconds = campaign.status === 'sending' && ratePerSecond > 0 ? Math.ceil(open / ratePerSecond) : null;

  const lastErrors: string[] = [];
  for (const row of [...failed, ...retrying].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))) {
    if (!lastErrors.includes(row.error)) lastErrors.push(row.error);
    if (lastErrors.length === LAST_ERRORS) break;
  }

  return {
    status: campaign.status,
    recipients: campaign.recipients,
    ...by,
    ratePerSecond,
    etaSeconds,
    lastErrors,
    pausedReason: campaign.paused_reason,
    finished: campaign.status === 'finished',
  };
}

/**
 * The newest errors among rows of one status: failed rows carry their failure time in due_at,
 * rows waiting for a retry their retry time, so the newest are at the top of the index range.
 */
async function recentErrors(ctx: AppContext, campaignId: number, status: 'failed' | 'pending'): Promise<{ error: string; at: string }[]> {
  const rows = await ctx.db
    .selectFrom('delivery_recipients')
    .select(['last_error', 'due_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', status)
    .orderBy('due_at', 'desc')
    .limit(ERROR_SAMPLE)
    .execute();
  return rows.flatMap((row) => (row.last_error ? [{ error: row.last_error, at: row.due_at }] : []));
}
