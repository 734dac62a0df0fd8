import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { enqueueJob } from './queue.ts';

describeEachDatabase('enqueueJob', ({ handle }) => {
  it('stores a queued job with JSON payload, defaults and ISO timestamps', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const id = await enqueueJob(db, clock, { name: 'mail.send', payload: { to: 'a@example.org', n: 1 } });
    const later = await enqueueJob(db, clock, { name: 'bare', runAt: new Date('2026-02-01T00:00:00.000Z'), maxAttempts: 2 });
    expect(later).not.toBe(id);
    const rows = await db.selectFrom('jobs').selectAll().orderBy('id').execute();
    expect(rows).toMatchObject([
      {
        id,
        name: 'mail.send',
        status: 'queued',
        attempts: 0,
        max_attempts: 5,
        run_at: '2026-01-01T12:00:00.000Z',
        created_at: '2026-01-01T12:00:00.000Z',
        unique_key: null,
      },
      { id: later, name: 'bare', payload: '{}', run_at: '2026-02-01T00:00:00.000Z', max_attempts: 2 },
    ]);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ to: 'a@example.org', n: 1 });
  });

  it('refuses bad maxAttempts and unserialisable payloads', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    await expect(enqueueJob(db, clock, { name: 'x', maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(enqueueJob(db, clock, { name: 'x', payload: () => 1 })).rejects.toThrow(/JSON/);
    expect(await db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('returns the live job for a uniqueKey instead of inserting, and frees the key once it finishes', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const first = await enqueueJob(db, clock, { name: 'publish', uniqueKey: 'publish:42' });
    const other = await enqueueJob(db, clock, { name: 'publish', uniqueKey: 'publish:43' });
    expect(await enqueueJob(db, clock, { name: 'publish', uniqueKey: 'publish:42' })).toBe(first);
    await db.updateTable('jobs').set({ status: 'running' }).where('id', '=', first).execute();
    expect(await enqueueJob(db, clock, { name: 'publish', uniqueKey: 'publish:42' })).toBe(first);
    expect(other).not.toBe(first);
    await db.updateTable('jobs').set({ status: 'done' }).where('id', '=', first).execute();
    const second = await enqueueJob(db, clock, { name: 'publish', uniqueKey: 'publish:42' });
    expect(second).not.toBe(first);
    const rows = await db.selectFrom('jobs').select(['id', 'status']).where('unique_key', '=', 'publish:42').orderBy('id').execute();
    expect(rows).toEqual([
      { id: first, status: 'done' },
      { id: second, status: 'queued' },
    ]);
  });

  it('dedupes concurrent enqueues of the same uniqueKey to one job', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const ids = await Promise.all(Array.from({ length: 12 }, () => enqueueJob(db, clock, { name: 'digest', uniqueKey: 'digest:1' })));
    expect(new Set(ids).size).toBe(1);
    const rows = await db.selectFrom('jobs').select('id').execute();
    expect(rows).toEqual([{ id: ids[0] }]);
  });
});
