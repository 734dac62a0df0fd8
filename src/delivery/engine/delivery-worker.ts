import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { addMs, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { BulkSendError, type BulkSendFailure, type BulkTransport, failureOf } from '../../platform/mail/bulk-transport.ts';
import { type Audience, stillEligible } from '../../subscriptions/audience.ts';
import { campaignAudience } from '../campaigns/campaign-queries.ts';
import { type PreparedMessages, prepareMessages } from '../messages/prepare-messages.ts';
import { type ClaimedRecipient, type ClaimHolder, claimRecipients, finishIfDone, markSkipped, nextDueAt, releaseClaims } from './ledger.ts';
import { OutcomeRecorder } from './outcome-recorder.ts';
import { describeFailure, isRecipientRefusal, MAX_ATTEMPTS, retryDelayMs } from './send-failures.ts';
import { defaultBurst, TokenBucket } from './token-bucket.ts';
import { openBulkTransport } from './transport.ts';

export interface DeliveryWorkerOptions {
  ctx: AppContext;
  /** Where messages go; by default the bulk transport the configuration names, which stop() closes. */
  transport?: BulkTransport;
  /** Lease owner id; defaults to host:pid:random so two processes never share one. */
  owner?: string;
  /** Most rows claimed at once (fewer at low rates, so a batch is sent well within its lease). */
  batchSize?: number;
  /** How long a claim lasts; a worker that dies leaves its rows to be reclaimed after this. */
  leaseMs?: number;
  /** Pause between looks for work when there is none. */
  pollMs?: number;
  /** First retry delay after a transient failure; doubles with every attempt, up to 5 minutes. */
  retryBaseMs?: number;
  /** Token-bucket rate of this worker's transport (DELIVERY_RATE_PER_SECOND). */
  ratePerSecond?: number;
  /** Messages in flight at once (DELIVERY_CONCURRENCY; also the SMTP pool's connections). */
  concurrency?: number;
  /** Failed sends in a row after which a campaign pauses itself (DELIVERY_ERROR_LIMIT). */
  errorLimit?: number;
  /** Rows re-checked (campaign status, each recipient's eligibility) right before they are sent. */
  chunkSize?: number;
  /** Longest wait before accepted messages are marked sent, and how many trigger a write at once. */
  flushMs?: number;
  flushRows?: number;
}

/** A campaign as a worker sends it: whose rows, who qualifies, and the message built once. */
interface CampaignRun {
  holder: ClaimHolder;
  audience: Audience;
  messages: PreparedMessages;
}

interface Batch {
  run: CampaignRun;
  rows: ClaimedRecipient[];
  /** ctx.clock time (ms) after which none of these rows is handed to the transport any more. */
  sendBefore: number;
}

/** The report's words for a row whose recipient may no longer be mailed when its turn came. */
export const NOT_ELIGIBLE_REASON = 'no longer eligible when its turn came (unsubscribed, paused, suppressed, left the topics or deleted)';

/**
 * Sends the ledger rows of campaigns in status "sending" through one bulk transport.
 *
 * The loop: claim a batch under a lease (ledger.ts); split it into chunks and, just before each
 * chunk goes out, read the campaign's status and the chunk's recipients again (a pause, a cancel,
 * an unsubscribe made during the send is honoured within one chunk); hand each message to the
 * transport under a token bucket (the rate) and a cap on messages in flight (the concurrency);
 * record each result only after the server answered, in groups (outcome-recorder.ts). The next
 * chunk's check and the next batch's claim run while the current one is on the wire, so the SMTP
 * connections never wait for the database. Memory is bounded by two batches whatever the list size.
 *
 * Delivery is at least once: a worker killed after the server accepted a message but before its
 * group was written leaves the row "sending"; when the lease expires another worker sends it again,
 * with the same Message-ID. No row is ever lost, and no campaign finishes while one is open.
 */
export class DeliveryWorker {
  readonly owner: string;
  private readonly ctx: AppContext;
  private readonly transport: BulkTransport;
  private readonly ownsTransport: boolean;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly concurrency: number;
  private readonly errorLimit: number;
  private readonly chunkSize: number;
  private readonly claimLimit: number;
  private readonly bucket: TokenBucket;
  private readonly recorder: OutcomeRecorder;

  private readonly runs = new Map<number, Promise<CampaignRun>>();
  /** Failed sends in a row, per campaign; any success ends a streak, and so does seeing the campaign paused. */
  private readonly streaks = new Map<number, number>();
  /** Campaigns this worker paused itself and must not claim from until it sees them leave "sending". */
  private readonly halted = new Set<number>();
  private readonly background = new Set<Promise<void>>();
  private lastCampaignId = 0;
  private inFlight = 0;
  private slotWaiter: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(options: DeliveryWorkerOptions) {
    const { ctx } = options;
    const settings = ctx.config.delivery;
    this.ctx = ctx;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = options.concurrency ?? settings.concurrency;
    this.ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? openBulkTransport(ctx, this.concurrency);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1000;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.errorLimit = options.errorLimit ?? settings.errorLimit;
    const rate = options.ratePerSecond ?? settings.ratePerSecond;
    this.chunkSize = Math.max(1, options.chunkSize ?? this.concurrency * 4);
    // A batch must go out well within its lease even at a low rate: at most half a lease's worth.
    this.claimLimit = Math.max(1, Math.min(options.batchSize ?? 500, Math.max(this.chunkSize, Math.floor((rate * this.leaseMs) / 2000))));
    this.bucket = new TokenBucket(rate, defaultBurst(rate, this.concurrency));
    this.recorder = new OutcomeRecorder({ ctx, owner: this.owner, flushMs: options.flushMs ?? 250, flushRows: options.flushRows ?? 300 });
  }

  /** Sends in the background, polling for sending campaigns, until stop(). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run(undefined, true).finally(() => {
      this.loop = undefined;
    });
  }

  /**
   * Sends until the campaign (or, without an id, every campaign) has left "sending": finished,
   * paused or cancelled. Rows waiting for a retry or for another worker's lease are waited for.
   */
  async runUntilIdle(campaignId?: number): Promise<void> {
    if (this.loop) throw new Error('DeliveryWorker: already running');
    this.stopping = false;
    const loop = this.run(campaignId, false);
    this.loop = loop.then(
      () => undefined,
      () => undefined,
    );
    try {
      await loop;
    } finally {
      this.loop = undefined;
    }
  }

  /**
   * Stops claiming, hands back the rows it holds but has not sent, waits for the messages in
   * flight and writes their results, then closes the transport if it opened it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.ownsTransport) await this.transport.close();
  }

  private async run(only: number | undefined, forever: boolean): Promise<void> {
    while (!this.stopping) {
      let wait: number;
      try {
        const open = await this.pass(only);
        if (!forever && open.length === 0) return;
        wait = await this.untilNextDue(open);
      } catch (error) {
        await this.settleQuietly();
        if (!forever) throw error;
        // A database outage must not end the worker of a long-running `serve`: it tries again.
        this.ctx.log.error({ err: error, owner: this.owner }, 'delivery worker pass failed');
        wait = this.pollMs;
      }
      await this.sleep(wait);
    }
  }

  /** Delivers every row that can be claimed now, then finishes the campaigns that have no open row; returns those still open. */
  private async pass(only: number | undefined): Promise<number[]> {
    let batch = await this.claimNext(only);
    while (batch && !this.stopping) {
      let next: Promise<Batch | null> | undefined;
      try {
        await this.deliver(batch, () => {
          next ??= this.claimNext(only);
        });
      } catch (error) {
        // The batch claimed ahead is handed back rather than left to its lease.
        if (next) void next.then((ahead) => ahead && this.handBack(ahead.run, ahead.rows)).catch(() => undefined);
        throw error;
      }
      batch = await (next ?? (this.stopping ? null : this.claimNext(only)));
    }
    if (batch) await this.handBack(batch.run, batch.rows);
    await this.settle();
    const open: number[] = [];
    for (const id of await this.sendingCampaignIds(only)) {
      if (await finishIfDone(this.ctx.db, id, iso(this.ctx.clock.now())))
        this.ctx.log.info({ campaignId: id, owner: this.owner }, 'campaign finished');
      else open.push(id);
    }
    return open;
  }

  /** Claims a batch from the next sending campaign that has claimable rows, taking campaigns in turn. */
  private async claimNext(only: number | undefined): Promise<Batch | null> {
    const ids = await this.sendingCampaignIds(only);
    this.forgetAllBut(ids);
    // Round robin from the campaign after the last one served: a bulletin started during a
    // million-recipient digest goes out alongside it instead of hours later.
    const from = ids.findIndex((id) => id > this.lastCampaignId);
    const order = from <= 0 ? ids : [...ids.slice(from), ...ids.slice(0, from)];
    for (const campaignId of order) {
      if (this.halted.has(campaignId)) continue;
      const now = this.ctx.clock.now();
      const holder = { campaignId, owner: this.owner };
      const rows = await claimRecipients(this.ctx.db, this.ctx.dialect, {
        ...holder,
        limit: this.claimLimit,
        now: iso(now),
        leaseUntil: iso(addMs(now, this.leaseMs)),
      });
      if (rows.length === 0) continue;
      this.lastCampaignId = campaignId;
      let run: CampaignRun;
      try {
        run = await this.campaignRun(campaignId);
      } catch (error) {
        await releaseClaims(this.ctx.db, holder, rows, iso(this.ctx.clock.now()));
        const why = error instanceof Error ? error.message : String(error);
        await this.pauseItself(campaignId, `Paused automatically: the message could not be prepared (${why}).`);
        continue;
      }
      // A quarter of the lease is kept back: a message handed over just before expiry could still
      // be in flight when another worker reclaims the row.
      return { run, rows, sendBefore: now.getTime() + this.leaseMs - Math.floor(this.leaseMs / 4) };
    }
    return null;
  }

  private async deliver(batch: Batch, claimAhead: () => void): Promise<void> {
    const { run, rows } = batch;
    const campaignId = run.holder.campaignId;
    const chunks: ClaimedRecipient[][] = [];
    for (let i = 0; i < rows.length; i += this.chunkSize) chunks.push(rows.slice(i, i + this.chunkSize));
    let check: Promise<ChunkCheck> | undefined = this.check(run, chunks[0] ?? []);
    // A check is awaited when its chunk's turn comes; one abandoned by a stop must not reject unhandled.
    check.catch(() => undefined);
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c] ?? [];
      const { sending, eligible } = await (check ?? this.check(run, chunk));
      check = undefined;
      if (!sending) {
        // Paused or cancelled: this worker's rows go back (pending, or stay skipped when cancelled).
        this.streaks.delete(campaignId);
        return this.handBack(run, chunks.slice(c).flat());
      }
      // The next chunk is checked, and near the end the next batch claimed, while this chunk is on the wire.
      if (c + 1 < chunks.length) {
        check = this.check(run, chunks[c + 1] ?? []);
        check.catch(() => undefined);
      }
      if ((chunks.length - c - 1) * this.chunkSize < this.claimLimit / 4) claimAhead();
      const skipped = chunk.filter((row) => !eligible.has(row.subscriberId));
      if (skipped.length > 0) await markSkipped(this.ctx.db, run.holder, skipped, NOT_ELIGIBLE_REASON);
      for (let r = 0; r < chunk.length; r++) {
        const row = chunk[r] as ClaimedRecipient;
        const email = eligible.get(row.subscriberId);
        if (email === undefined) continue;
        const wait = this.bucket.reserve();
        if (wait > 0) await delay(wait);
        if (this.inFlight >= this.concurrency) await new Promise<void>((resolve) => (this.slotWaiter = resolve));
        if (this.stopping || this.halted.has(campaignId) || this.ctx.clock.now().getTime() >= batch.sendBefore) {
          const unsent = chunk.slice(r).filter((row) => eligible.has(row.subscriberId));
          return this.handBack(run, unsent.concat(chunks.slice(c + 1).flat()));
        }
        this.send(run, row, email);
      }
    }
  }

  private async check(run: CampaignRun, chunk: ClaimedRecipient[]): Promise<ChunkCheck> {
    const [campaign, eligible] = await Promise.all([
      this.ctx.db.selectFrom('delivery_campaigns').select('status').where('id', '=', run.holder.campaignId).executeTakeFirst(),
      stillEligible(
        this.ctx.db,
        run.audience,
        chunk.map((row) => row.subscriberId),
      ),
    ]);
    return { sending: campaign?.status === 'sending', eligible };
  }

  private send(run: CampaignRun, row: ClaimedRecipient, email: string): void {
    let message: ReturnType<PreparedMessages['render']>;
    try {
      message = run.messages.render({ subscriberId: row.subscriberId, email, topicId: row.topicId });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      const reply = `The message could not be built: ${why}`;
      this.failed(run, row, new BulkSendError({ transient: false, responseCode: null, enhancedStatus: null, command: null, reply }));
      return;
    }
    this.inFlight++;
    this.transport.send({ envelope: { from: message.envelopeFrom, to: message.to }, raw: message.raw }).then(
      () => {
        this.slotDone();
        this.streaks.delete(run.holder.campaignId);
        this.recorder.accepted(run.holder.campaignId, row);
      },
      (error: unknown) => {
        this.slotDone();
        this.failed(run, row, failureOf(error));
      },
    );
  }

  private failed(run: CampaignRun, row: ClaimedRecipient, failure: BulkSendFailure): void {
    const campaignId = run.holder.campaignId;
    const streak = (this.streaks.get(campaignId) ?? 0) + 1;
    this.streaks.set(campaignId, streak);
    const error = describeFailure(failure);
    if (failure.transient && row.attempts < MAX_ATTEMPTS) {
      this.recorder.retry(campaignId, row, iso(addMs(this.ctx.clock.now(), retryDelayMs(row.attempts, this.retryBaseMs))), error);
    } else {
      const text = failure.transient ? `Gave up after ${row.attempts} attempts. The last reply was: ${error}` : error;
      this.recorder.failed(campaignId, row, text, isRecipientRefusal(failure) ? failure : null);
    }
    if (streak >= this.errorLimit && !this.halted.has(campaignId)) {
      this.inBackground(
        this.pauseItself(campaignId, `Paused automatically after ${streak} failed sends in a row. The last reply was: ${error}`),
      );
    }
  }

  /**
   * Too many failures in a row (the relay is down, refuses us, or rate-limits us hard): stop
   * hammering it and let a person look. The reason is what the publisher reads on the campaign page.
   */
  private async pauseItself(campaignId: number, reason: string): Promise<void> {
    this.halted.add(campaignId);
    this.streaks.delete(campaignId);
    const now = iso(this.ctx.clock.now());
    try {
      const result = await this.ctx.db
        .updateTable('delivery_campaigns')
        .set({ status: 'paused', paused_reason: reason, updated_at: now })
        .where('id', '=', campaignId)
        .where('status', '=', 'sending')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return;
      this.ctx.log.warn({ campaignId, owner: this.owner, reason }, 'campaign paused itself');
      await this.ctx.audit.record({
        action: 'campaign.paused',
        actor: 'system',
        subjectType: 'campaign',
        subjectId: String(campaignId),
        details: { reason },
      });
    } catch (error) {
      // Not paused after all: keep sending rather than leave the campaign stuck for this worker.
      this.halted.delete(campaignId);
      this.ctx.log.error({ err: error, campaignId }, 'campaign could not pause itself');
    }
  }

  private campaignRun(campaignId: number): Promise<CampaignRun> {
    let run = this.runs.get(campaignId);
    if (!run) {
      run = (async () => {
        const campaign = await this.ctx.db
          .selectFrom('delivery_campaigns')
          .selectAll()
          .where('id', '=', campaignId)
          .executeTakeFirstOrThrow();
        const messages = await prepareMessages(this.ctx, campaign);
        return { holder: { campaignId, owner: this.owner }, audience: campaignAudience(campaign), messages };
      })();
      this.runs.set(campaignId, run);
      run.catch(() => this.runs.delete(campaignId));
    }
    return run;
  }

  private async sendingCampaignIds(only: number | undefined): Promise<number[]> {
    const rows = await this.ctx.db
      .selectFrom('delivery_campaigns')
      .select('id')
      .where('status', '=', 'sending')
      .$if(only !== undefined, (q) => q.where('id', '=', only as number))
      .orderBy('id')
      .execute();
    return rows.map((row) => Number(row.id));
  }

  /**
   * Drops what the worker keeps about campaigns no longer sending: their prepared message, their
   * failure streak (a resumed campaign starts counting afresh) and their self-pause mark (seen
   * paused now, so a later resume lets this worker claim again).
   */
  private forgetAllBut(sending: number[]): void {
    const keep = new Set(sending);
    for (const id of this.runs.keys()) if (!keep.has(id)) this.runs.delete(id);
    for (const id of this.streaks.keys()) if (!keep.has(id)) this.streaks.delete(id);
    for (const id of this.halted) if (!keep.has(id)) this.halted.delete(id);
  }

  private async handBack(run: CampaignRun, rows: ClaimedRecipient[]): Promise<void> {
    if (rows.length > 0) await releaseClaims(this.ctx.db, run.holder, rows, iso(this.ctx.clock.now()));
  }

  private slotDone(): void {
    this.inFlight--;
    const waiter = this.slotWaiter;
    this.slotWaiter = undefined;
    waiter?.();
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private inBackground(task: Promise<void>): void {
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  /** Waits for every message in flight and writes every result. */
  private async settle(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.allSettled([...this.background]);
    await this.recorder.flush();
  }

  private async settleQuietly(): Promise<void> {
    try {
      await this.settle();
    } catch (error) {
      this.ctx.log.error({ err: error, owner: this.owner }, 'delivery results could not be written');
    }
  }

  /** How long to wait before the next pass: until the earliest retry or foreign lease comes due, at most pollMs. */
  private async untilNextDue(open: number[]): Promise<number> {
    const due = await nextDueAt(this.ctx.db, open);
    if (!due) return this.pollMs;
    return Math.min(this.pollMs, Math.max(10, new Date(due).getTime() - this.ctx.clock.now().getTime()));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

interface ChunkCheck {
  /** Whether the campaign is still sending. */
  sending: boolean;
  /** Recipients that may still be mailed, with their current address. */
  eligible: Map<string, string>;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
