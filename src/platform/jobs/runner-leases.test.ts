import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { enqueueJob } from './queue.ts';
import { type JobHandler, type JobLogger, JobRunner } from './runner.ts';
import { heldHandler, recordingLog } from './testing.ts';

// A runner may only record a job's outcome while it still holds the lease it claimed.
describeEachDatabase('JobRunner leases', ({ handle }) => {
  const row = (id: number) => handle().db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const runner = (clock: FixedClock, owner: string, slow: JobHandler, log?: JobLogger) => {
    const { db, dialect } = handle();
    return new JobRunner({ db, dialect, clock, owner, leaseMs: 60_000, handlers: { slow }, log: log ?? recordingLog().log });
  };

  it('lets another owner reclaim an expired lease, and the old owner cannot finish the job', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const [heldA, heldB] = [heldHandler(), heldHandler()];
    const oldLog = recordingLog();
    const a = runner(clock, 'A', heldA.handler, oldLog.log);
    const b = runner(clock, 'B', heldB.handler);

    const aRun = a.runOnce();
    await heldA.started;
    expect(await b.runOnce()).toBe(0); // A's lease still holds
    clock.advance(60_001);
    const bRun = b.runOnce();
    await heldB.started;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', attempts: 2 });

    heldA.release(); // A finishes late: its success must not overwrite B's lease
    await aRun;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', finished_at: null });
    expect(oldLog.lines.map((l) => l.msg)).toContain('lease lost before the job finished; outcome discarded');

    heldB.release();
    await bRun;
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('discards a late finish when the same owner has since reclaimed the job (attempts is part of the lease)', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const held = heldHandler();
    let calls = 0;
    const r = runner(clock, 'A', async () => {
      if (++calls === 1) await held.handler();
    });
    const late = r.runOnce();
    await held.started;
    clock.advance(60_001);
    expect(await r.runOnce()).toBe(1); // reclaimed by the same owner and finished as attempt 2
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 2 });
    // Put the row back to running under owner A so only the attempts check can stop attempt 1.
    await handle().db.updateTable('jobs').set({ status: 'running', lease_owner: 'A', finished_at: null }).where('id', '=', id).execute();
    held.release();
    await late;
    expect(await row(id)).toMatchObject({ status: 'running', attempts: 2, finished_at: null });
  });

  it('discards a finish once another owner holds the lease, even at the same attempt count', async () => {
    const clock = new FixedClock();
    const id = await enqueueJob(handle().db, clock, { name: 'slow' });
    const held = heldHandler();
    const run = runner(clock, 'A', held.handler).runOnce();
    await held.started;
    // Only the owner differs (as after an operator's manual hand-over), so only the owner check can stop A.
    await handle().db.updateTable('jobs').set({ lease_owner: 'B' }).where('id', '=', id).execute();
    held.release();
    await run;
    expect(await row(id)).toMatchObject({ status: 'running', lease_owner: 'B', attempts: 1, finished_at: null });
  });
});
