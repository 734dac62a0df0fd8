import type { CampaignStatus } from '../../platform/db/schema.ts';
import type { CampaignProgress } from '../engine/read-progress.ts';
import { STATUS_LABELS } from './campaign-rules.ts';

// A send's progress in words and numbers, computed once here for the admin page, its JSON for the
// live update, and the CLI's progress line, so all three always say the same thing.

/** The engine's progress figures (readProgress); only these fields are read. */
export type ProgressFigures = Pick<
  CampaignProgress,
  | 'status'
  | 'recipients'
  | 'pending'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'skipped'
  | 'ratePerSecond'
  | 'etaSeconds'
  | 'lastErrors'
  | 'pausedReason'
  | 'finished'
>;

export interface ProgressView {
  status: CampaignStatus;
  finished: boolean;
  recipients: number;
  /** Rows settled: sent, failed or skipped. The bar's value. */
  done: number;
  /** Whole percent of rows settled; 100 only when every row is. */
  percent: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Rows not settled yet (waiting or being sent). */
  waiting: number;
  pausedReason: string | null;
  lastErrors: string[];
  /** Display texts by field name: the page's [data-progress="…"] elements and the JSON carry the same. */
  text: {
    label: string;
    percent: string;
    status: string;
    rate: string;
    eta: string;
    sent: string;
    failed: string;
    skipped: string;
    waiting: string;
  };
}

export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** "about 40 seconds", "about 3 minutes", "about 2 hours 5 minutes". */
export function durationText(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} second${Math.round(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

/** The progress of a send, ready to show. */
export function describeProgress(figures: ProgressFigures): ProgressView {
  const done = figures.sent + figures.failed + figures.skipped;
  const recipients = Math.max(figures.recipients, done);
  const percent = figures.finished ? 100 : recipients > 0 ? Math.min(99, Math.floor((done / recipients) * 100)) : 0;
  const waiting = figures.pending + figures.sending;
  const active = figures.status === 'sending' || figures.status === 'queued';
  const rate = figures.ratePerSecond;
  const eta = figures.etaSeconds;
  return {
    status: figures.status,
    finished: figures.finished,
    recipients,
    done,
    percent,
    sent: figures.sent,
    failed: figures.failed,
    skipped: figures.skipped,
    waiting,
    pausedReason: figures.pausedReason,
    lastErrors: [...figures.lastErrors],
    text: {
      label: `${count(figures.sent)} of ${count(recipients)} sent (${percent} % done)`,
      percent: `${percent} %`,
      status: STATUS_LABELS[figures.status],
      rate: active && rate > 0 ? `${rate < 10 ? rate.toFixed(1) : count(rate)} messages a second` : '—',
      eta: figures.finished ? 'Done' : active && eta !== null && Number.isFinite(eta) ? durationText(eta) : '—',
      sent: count(figures.sent),
      failed: count(figures.failed),
      skipped: count(figures.skipped),
      waiting: count(waiting),
    },
  };
}
