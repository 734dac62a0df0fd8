import type { Logger } from 'pino';
import { expect, expectTypeOf, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import type { Job } from './lease.ts';
import { enqueueJob } from './queue.ts';
import { type JobHandler, type JobLogger, JobRunner, retryDelayMs } from './runner.ts';

function recordingLog() {
  const lines: { level: string; msg: string | undefined; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

/** A promise plus the functions that settle it, for holding a handler mid-run. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

it('accepts a pino logger (checked by tsc)', () => {
  expectTypeOf<Logger>().toExtend<JobLogger>();
});

it('backs off 2^attempts × 5 s, capped at an hour', () => {
  expect([1, 2, 3, 9, 10, 30].map(retryDelayMs)).toEqual([10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000]);
});

describeEachDatabase('JobRunner', ({ handle }) => {
  const row = (id: number) => handle().db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  function runner(clock: FixedClock, handlers: Record<string, JobHandler>, extra: { owner?: string; log?: JobLogger } = {}) {
    const { db, dialect } = handle();
    return new JobRunner({
      db,
      dialect,
      clock,
      log: extra.log ?? recordingLog().log,
      handlers,
      owner: extra.owner ?? 'R1',
      leaseMs: 60_000,
    });
  }

  it('runs a due job with its parsed payload and marks it done', async () => {
    const clock = new FixedClock();
    const seen: unknown[] = [];
    const id = await enqueueJob(handle().db, clock, { name: 'greet', payload: { who: 'Ada' } });
    const r = runner(clock, { greet: async (payload, job) => void seen.push(payload, job.id, job.attempts) });
    clock.advance(1_000);
    expect(await r.runOnce()).toBe(1);
    expect(seen).toEqual([{ who: 'Ada' }, id, 1]);
    expect(await row(id)).toMatchObject({
      status: 'done',
      attempts: 1,
      finished_at: '2026-01-01T12:00:01.000Z',
      lease_owner: null,
      last_error: null,
    });
    expect(await r.runOnce()).toBe(0);
  });

  it('retries with exponential backoff, then fails after maxAttempts', async () => {
    const clock = new FixedClock();
    let calls = 0;
    const id = await enqueueJob(handle().db, clock, { name: 'flaky', maxAttempts: 3 });
    const r = runner(clock, {
      flaky: async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
    });

    expect(await r.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      run_at: '2026-01-01T12:00:10.000Z',
      last_error: 'boom 1',
      finished_at: null,
      lease_owner: null,
    });
    clock.advance(9_999);
    expect(await r.runOnce()).toBe(0); // not due before its backoff
    clock.advance(1);
    expect(await r.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 2, run_at: '2026-01-01T12:00:30.000Z', last_error: 'boom 2' });
    clock.advance(20_000);
    expect(await r.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3', finished_at: '2026-01-01T12:00:30.000Z' });
    clock.advance(3_600_000);
    expect(await r.runOnce()).toBe(0);
    expect(calls).toBe(3);
  });

  it('fails a job that has no handler, without retrying, and says why', async () => {
    const clock = new FixedClock();
    const { lines, log } = recordingLog();
    const id = await enqueueJob(handle().db, clock, { name: 'mystery' });
    // 'toString' would be found on a plain object's prototype; it must not count as a handler.
    const proto = await enqueueJob(handle().db, clock, { name: 'toString' });
    expect(await runner(clock, { other: async () => {} }, { log }).runOnce()).toBe(2);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'no handler registered for job "mystery"' });
    expect(await row(proto)).toMatchObject({ status: 'failed', last_error: 'no handler registered for job "toString"' });
    expect(lines.filter((l) => l.level === 'error').map((l) => l.msg)).toContain('no handler registered for job "mystery"');
  });

  it('lets another owner reclaim an expired lease, and the old owner cannot finish the job', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const aGate = gate();
    const bGate = gate();
    const aStarted = gate();
    const bStarted = gate();
    const old = recordingLog();
    const a = runner(
      clock,
      {
        slow: async () => {
          aStarted.open();
          await aGate.opened;
        },
      },
      { owner: 'A', log: old.log },
    );
    const b = runner(
      clock,
      {
        slow: async () => {
          bStarted.open();
          await bGate.opened;
        },
      },
      { owner: 'B' },
    );

    const aRun = a.runOnce();
    await aStarted.opened;
    expect(await b.runOnce()).toBe(0); // A's lease still holds
    clock.advance(60_001);
    const bRun = b.runOnce();
    await bStarted.opened;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', attempts: 2 });

    aGate.open(); // A finishes late: its success must not overwrite B's lease
    await aRun;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', finished_at: null });
    expect(old.lines.map((l) => l.msg)).toContain('lease lost before the job finished; outcome discarded');

    bGate.open();
    await bRun;
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('discards a late finish when the same owner has since reclaimed the job (attempts is part of the lease)', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const first = gate();
    const started = gate();
    let calls = 0;
    const r = runner(
      clock,
      {
        slow: async () => {
          calls++;
          if (calls === 1) {
            started.open();
            await first.opened;
          }
        },
      },
      { owner: 'A' },
    );
    const late = r.runOnce();
    await started.opened;
    clock.advance(60_001);
    expect(await r.runOnce()).toBe(1); // reclaimed by the same owner, finished as attempt 2
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 2 });
    await handle().db.updateTable('jobs').set({ status: 'running', lease_owner: 'A', finished_at: null }).where('id', '=', id).execute();
    first.open(); // attempt 1 now finishes: it must not touch what belongs to attempt 2
    await late;
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 2, finished_at: null });
  });

  it('discards a finish once another owner holds the lease, even at the same attempt count', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const release = gate();
    const started = gate();
    const r = runner(
      clock,
      {
        slow: async () => {
          started.open();
          await release.opened;
        },
      },
      { owner: 'A' },
    );
    const run = r.runOnce();
    await started.opened;
    // An operator handed the job to runner B by hand, leaving attempts alone.
    await handle().db.updateTable('jobs').set({ lease_owner: 'B' }).where('id', '=', id).execute();
    release.open();
    await run;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', attempts: 1, finished_at: null });
  });

  it('two runners in parallel run every job exactly once', async () => {
    const clock = new FixedClock();
    const runs = new Map<number, string[]>();
    const handlerFor = (owner: string) => async (_: unknown, job: Job) => {
      runs.set(job.id, [...(runs.get(job.id) ?? []), owner]);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueueJob(handle().db, clock, { name: 'work', payload: { i } }));
    const { db, dialect } = handle();
    const make = (owner: string) =>
      new JobRunner({ db, dialect, clock, log: recordingLog().log, owner, batchSize: 3, handlers: { work: handlerFor(owner) } });
    const runners = [make('A'), make('B'), make('C')];
    let claimed = 0;
    for (let round = 0; round < 20; round++) claimed += (await Promise.all(runners.map((r) => r.runOnce()))).reduce((x, y) => x + y, 0);
    expect(claimed).toBe(40);
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...runs.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    const statuses = await db.selectFrom('jobs').select('status').distinct().execute();
    expect(statuses).toEqual([{ status: 'done' }]);
  });

  it('start() polls until stop(), and stop() waits for the job in flight', async () => {
    const clock = new FixedClock();
    const started = gate();
    const release = gate();
    let finished = false;
    const id = await enqueueJob(handle().db, clock, { name: 'bg' });
    const { db, dialect } = handle();
    const r = new JobRunner({
      db,
      dialect,
      clock,
      log: recordingLog().log,
      pollMs: 5,
      handlers: {
        bg: async () => {
          started.open();
          await release.opened;
          finished = true;
        },
      },
    });
    r.start();
    r.start(); // a second start must not begin a second loop
    await started.opened;
    const stopped = r.stop();
    setTimeout(release.open, 20);
    await stopped;
    expect(finished).toBe(true);
    expect(await row(id)).toMatchObject({ status: 'done' });
    // Stopped means stopped: a job enqueued now stays queued.
    const later = await enqueueJob(db, clock, { name: 'bg' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await row(later)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
