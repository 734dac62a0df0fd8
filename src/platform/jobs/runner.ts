import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { addMs, type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { claimDueJobs, type Job } from './lease.ts';
import { fireDueSchedules } from './schedules.ts';

export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

/** The slice of a pino logger the runner uses, so tests can pass a recorder. */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobRunnerOptions {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  clock: Clock;
  log: JobLogger;
  handlers: Record<string, JobHandler>;
  /** Lease owner id; defaults to host:pid:random so two processes never share one. */
  owner?: string;
  /** Pause between polls when there was nothing (or less than a batch) to do. */
  pollMs?: number;
  /** A handler must finish within this, or another runner may run the job again. */
  leaseMs?: number;
  /** Jobs claimed per poll; they run concurrently. */
  batchSize?: number;
}

const BASE_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60 * 60 * 1000;

/** Delay before retrying a job that failed on attempt `attempts`: 2^attempts × 5 s, at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** attempts * BASE_RETRY_MS, MAX_RETRY_MS);
}

/** Claims due jobs and runs their handlers; polls on a timer between start() and stop(). */
export class JobRunner {
  readonly owner: string;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 5;
  }

  /** Claims one batch of due jobs, runs them, and returns how many were claimed. */
  async runOnce(): Promise<number> {
    const { db, dialect, clock } = this.options;
    const jobs = await claimDueJobs(db, dialect, clock, { owner: this.owner, limit: this.batchSize, leaseMs: this.leaseMs });
    // Run the batch concurrently: all its leases started together, so running them one after
    // another would eat into the later jobs' leases.
    await Promise.all(jobs.map((job) => this.runJob(job)));
    return jobs.length;
  }

  /** Enqueues a job for every schedule occurrence that has come due; returns how many fired. */
  fireDueSchedules(): Promise<number> {
    return fireDueSchedules(this.options.db, this.options.dialect, this.options.clock);
  }

  /** Starts polling: each poll fires due schedules and then runs a batch; polls never overlap. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // After a stop() whose poll is still finishing, that poll plans the next one itself.
    if (!this.inFlight) this.schedule(0);
  }

  /** Stops polling and resolves once the poll in progress, if any, has finished its jobs. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    // A setTimeout chain, not setInterval: the next poll is only planned once this one is done.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.poll().finally(() => {
        this.inFlight = undefined;
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    let claimed = 0;
    try {
      await this.fireDueSchedules();
      claimed = await this.runOnce();
    } catch (err) {
      this.options.log.error({ err, owner: this.owner }, 'job runner poll failed');
    }
    // A full batch suggests more work is waiting: poll again straight away instead of sleeping.
    if (this.running) this.schedule(claimed >= this.batchSize ? 0 : this.pollMs);
  }

  private async runJob(job: Job): Promise<void> {
    const { log, handlers } = this.options;
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    if (!handler) {
      // Retrying cannot help a job this runner does not know how to run.
      const message = `no handler registered for job "${job.name}"`;
      log.error({ jobId: job.id, job: job.name }, message);
      await this.finish(job, 'failed', message);
      return;
    }
    try {
      await handler(JSON.parse(job.payload) as unknown, job);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (job.attempts < job.max_attempts) {
        const retryAt = addMs(this.options.clock.now(), retryDelayMs(job.attempts));
        log.warn({ err, jobId: job.id, job: job.name, attempts: job.attempts, retryAt: iso(retryAt) }, 'job failed; will retry');
        await this.finish(job, 'queued', message, retryAt);
      } else {
        log.error({ err, jobId: job.id, job: job.name, attempts: job.attempts }, 'job failed; no attempts left');
        await this.finish(job, 'failed', message);
      }
      return;
    }
    await this.finish(job, 'done', null);
    log.info({ jobId: job.id, job: job.name, attempts: job.attempts }, 'job done');
  }

  /** Records the outcome, but only while this runner still holds the lease it claimed. */
  private async finish(job: Job, status: 'done' | 'failed' | 'queued', error: string | null, retryAt?: Date): Promise<void> {
    const now = iso(this.options.clock.now());
    const result = await this.options.db
      .updateTable('jobs')
      .set({
        status,
        last_error: error,
        lease_owner: null,
        lease_expires_at: null,
        ...(status === 'queued' ? { run_at: iso(retryAt ?? this.options.clock.now()) } : { finished_at: now }),
      })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', this.owner)
      // attempts is part of the lease: if this same owner reclaimed the job after its lease ran
      // out, only the newer run may record the outcome.
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      this.options.log.warn({ jobId: job.id, job: job.name, owner: this.owner }, 'lease lost before the job finished; outcome discarded');
    }
  }
}
