import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { claimDueJobs } from './lease.ts';
import { enqueueJob } from './queue.ts';

const lease = { limit: 10, leaseMs: 30_000 };

describeEachDatabase('claimDueJobs', ({ handle }) => {
  it('claims only due queued jobs, oldest first, up to the limit, and marks them running', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    const late = await enqueueJob(db, clock, { name: 'a', runAt: new Date('2026-01-01T11:00:00.000Z') });
    const early = await enqueueJob(db, clock, { name: 'b', runAt: new Date('2026-01-01T10:00:00.000Z') });
    await enqueueJob(db, clock, { name: 'c', runAt: new Date('2026-01-01T09:00:00.000Z') });
    await enqueueJob(db, clock, { name: 'future', runAt: new Date('2026-01-01T12:00:00.001Z') });
    await db.updateTable('jobs').set({ status: 'done' }).where('name', '=', 'c').execute();

    const first = await claimDueJobs(db, dialect, clock, { owner: 'A', limit: 1, leaseMs: 30_000 });
    expect(first.map((j) => j.id)).toEqual([early]);
    expect(first[0]).toMatchObject({ status: 'running', lease_owner: 'A', lease_expires_at: '2026-01-01T12:00:30.000Z', attempts: 1 });
    const rest = await claimDueJobs(db, dialect, clock, { owner: 'A', ...lease });
    expect(rest.map((j) => j.id)).toEqual([late]);
    expect(await claimDueJobs(db, dialect, clock, { owner: 'A', ...lease })).toEqual([]);
  });

  it('reclaims a running job only once its lease has expired, counting the attempt', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    const id = await enqueueJob(db, clock, { name: 'a' });
    await claimDueJobs(db, dialect, clock, { owner: 'A', ...lease });
    clock.advance(30_000); // lease_expires_at == now: not yet expired
    expect(await claimDueJobs(db, dialect, clock, { owner: 'B', ...lease })).toEqual([]);
    clock.advance(1);
    const reclaimed = await claimDueJobs(db, dialect, clock, { owner: 'B', ...lease });
    expect(reclaimed).toMatchObject([{ id, lease_owner: 'B', attempts: 2, status: 'running' }]);
  });

  it('fails, rather than reruns, a job whose lease expired on its final attempt', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    const id = await enqueueJob(db, clock, { name: 'poison', maxAttempts: 1 });
    await claimDueJobs(db, dialect, clock, { owner: 'A', ...lease });
    clock.advance(60_000);
    expect(await claimDueJobs(db, dialect, clock, { owner: 'B', ...lease })).toEqual([]);
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lease_owner: null, finished_at: '2026-01-01T12:01:00.000Z' });
    expect(row.last_error).toMatch(/lease expired/);
  });

  it('never hands the same job to two concurrent claimers', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    const ids = [];
    for (let i = 0; i < 60; i++) ids.push(await enqueueJob(db, clock, { name: `j${i}` }));
    const owners = ['A', 'B', 'C', 'D', 'E', 'F'];
    const claimedBy = new Map<number, string[]>();
    for (let round = 0; round < 10; round++) {
      const batches = await Promise.all(owners.map((owner) => claimDueJobs(db, dialect, clock, { owner, limit: 4, leaseMs: 30_000 })));
      batches.forEach((batch, i) => {
        expect(batch.length).toBeLessThanOrEqual(4);
        for (const job of batch) claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), owners[i]!]);
      });
    }
    expect([...claimedBy.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect([...claimedBy.values()].filter((who) => who.length > 1)).toEqual([]);
    // The database agrees with what each claimer was told.
    const rows = await db.selectFrom('jobs').select(['id', 'lease_owner', 'attempts']).execute();
    for (const row of rows) expect([row.lease_owner, row.attempts]).toEqual([claimedBy.get(row.id)![0], 1]);
  });
});

describe('claimDueJobs on one SQLite file from two connections', () => {
  let dir: string | undefined;
  const handles: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives each job to exactly one connection', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-jobs-'));
    const file = path.join(dir, 'dispatch.sqlite');
    const a = openDatabase({ sqliteFile: file });
    const b = openDatabase({ sqliteFile: file });
    handles.push(a, b);
    await migrateToLatest(a.db);
    const clock = new FixedClock();
    for (let i = 0; i < 30; i++) await enqueueJob(a.db, clock, { name: `j${i}` });
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([
        claimDueJobs(a.db, 'sqlite', clock, { owner: 'A', limit: 4, leaseMs: 30_000 }),
        claimDueJobs(b.db, 'sqlite', clock, { owner: 'B', limit: 4, leaseMs: 30_000 }),
      ]);
      seen.push(...x.map((j) => j.id), ...y.map((j) => j.id));
    }
    expect(seen.length).toBe(30);
    expect(new Set(seen).size).toBe(30);
  });
});
