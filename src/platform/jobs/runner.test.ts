import type { Logger } from 'pino';
import { expect, expectTypeOf, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import type { Job } from './lease.ts';
import { enqueueJob } from './queue.ts';
import { type JobHandler, type JobLogger, JobRunner, retryDelayMs } from './runner.ts';
import { gate, recordingLog } from './testing.ts';

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
