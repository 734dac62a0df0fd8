import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { BulkSendFailure } from '../../platform/mail/bulk-transport.ts';
import { recordBounce } from '../bounces/record-bounce.ts';
import { type ClaimedRecipient, markFailed, markSent, scheduleRetry } from './ledger.ts';

interface Retry {
  campaignId: number;
  row: ClaimedRecipient;
  dueAt: string;
  error: string;
}

interface Failure {
  campaignId: number;
  row: ClaimedRecipient;
  error: string;
  /** Set for a recipient refusal: recorded as a hard bounce, which suppresses the address. */
  bounce: BulkSendFailure | null;
}

export interface OutcomeRecorderOptions {
  ctx: AppContext;
  owner: string;
  /** Longest time an accepted message waits before its row is marked sent. */
  flushMs: number;
  /** Accepted messages that trigger a write at once, however little time has passed. */
  flushRows: number;
}

/**
 * Writes the results of sends in groups. A commit per message would cap a send at the database's
 * commit rate (one fsync each on SQLite with synchronous=FULL), so accepted messages are collected
 * and marked sent with one UPDATE … IN (…) at most every flushMs or every flushRows messages, in
 * one transaction with the retries and failures collected meanwhile. The price is bounded and
 * documented: a crash loses at most one group's marks, and those recipients are sent again, with
 * the same Message-ID, once their lease expires (at-least-once). Until it is written a result is
 * only in memory, but its row is still "sending" under this worker's lease, so nobody else sends it.
 */
export class OutcomeRecorder {
  private sent = new Map<number, ClaimedRecipient[]>();
  private sentCount = 0;
  private retries: Retry[] = [];
  private failures: Failure[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(private readonly options: OutcomeRecorderOptions) {}

  /** Results collected and not yet written. */
  get unwritten(): number {
    return this.sentCount + this.retries.length + this.failures.length;
  }

  accepted(campaignId: number, row: ClaimedRecipient): void {
    const rows = this.sent.get(campaignId);
    if (rows) rows.push(row);
    else this.sent.set(campaignId, [row]);
    this.sentCount++;
    if (this.sentCount >= this.options.flushRows) void this.flushInBackground();
    else this.schedule();
  }

  retry(campaignId: number, row: ClaimedRecipient, dueAt: string, error: string): void {
    this.retries.push({ campaignId, row, dueAt, error });
    this.schedule();
  }

  failed(campaignId: number, row: ClaimedRecipient, error: string, bounce: BulkSendFailure | null): void {
    this.failures.push({ campaignId, row, error, bounce });
    this.schedule();
  }

  /** Writes everything collected so far, after any write already under way. Rejects when the write failed (the results are kept for the next one). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A write that is queued and has not begun will take everything collected until it begins.
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.write();
    });
    this.queued = next;
    // The chain itself never rejects, so one failed write does not fail every later flush.
    this.chain = next.catch(() => undefined);
    return next;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flushInBackground();
    }, this.options.flushMs);
  }

  private async flushInBackground(): Promise<void> {
    try {
      await this.flush();
    } catch (err) {
      this.options.ctx.log.error({ err, owner: this.options.owner }, 'delivery results could not be written; will try again');
      this.schedule();
    }
  }

  private async write(): Promise<void> {
    if (this.unwritten === 0) return;
    const sent = this.sent;
    const retries = this.retries;
    const failures = this.failures;
    this.sent = new Map();
    this.sentCount = 0;
    this.retries = [];
    this.failures = [];
    const { ctx, owner } = this.options;
    const at = iso(ctx.clock.now());
    try {
      await ctx.db.transaction().execute(async (trx) => {
        for (const [campaignId, rows] of sent) await markSent(trx, { campaignId, owner }, rows, at);
        for (const r of retries) await scheduleRetry(trx, { campaignId: r.campaignId, owner }, r.row, r.dueAt, r.error);
        for (const f of failures) await markFailed(trx, { campaignId: f.campaignId, owner }, f.row, at, f.error);
      });
    } catch (error) {
      // Keep them for the next write: dropping them would resend accepted messages after the lease.
      for (const [campaignId, rows] of sent) {
        const since = this.sent.get(campaignId);
        this.sent.set(campaignId, since ? rows.concat(since) : rows);
        this.sentCount += rows.length;
      }
      this.retries.unshift(...retries);
      this.failures.unshift(...failures);
      throw error;
    }
    // Hard bounces after the ledger is written, each on its own: a bounce that cannot be recorded
    // must not hold back the sent marks of everyone else (its row already says why it failed).
    for (const f of failures) {
      if (!f.bounce) continue;
      try {
        await recordBounce(ctx, {
          campaignId: f.campaignId,
          subscriberId: f.row.subscriberId,
          kind: 'hard',
          source: 'smtp',
          statusCode: f.bounce.enhancedStatus,
          diagnostic: f.bounce.reply,
        });
      } catch (err) {
        ctx.log.error({ err, campaignId: f.campaignId, subscriberId: f.row.subscriberId }, 'hard bounce could not be recorded');
      }
    }
  }
}
