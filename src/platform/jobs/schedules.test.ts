import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { JobRunner } from './runner.ts';
import { defineSchedule, fireDueSchedules, nextOccurrence } from './schedules.ts';

// FixedClock starts at 2026-01-01T12:00:00Z, which is 07:00 in New York (EST, UTC-5).
const digest = { name: 'digest', cron: '0 9 * * *', timeZone: 'America/New_York' };

it('reads cron fields in the given zone and returns the next occurrence strictly after', () => {
  expect(nextOccurrence(digest, new Date('2026-01-01T12:00:00.000Z')).toISOString()).toBe('2026-01-01T14:00:00.000Z');
  expect(nextOccurrence(digest, new Date('2026-01-01T14:00:00.000Z')).toISOString()).toBe('2026-01-02T14:00:00.000Z');
  // Summer time: 09:00 EDT is 13:00 UTC.
  expect(nextOccurrence(digest, new Date('2026-07-01T00:00:00.000Z')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
});

describeEachDatabase('schedules', ({ handle }) => {
  const schedule = (name: string) => handle().db.selectFrom('job_schedules').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const jobs = () => handle().db.selectFrom('jobs').select(['name', 'unique_key', 'payload', 'status']).orderBy('id').execute();

  it('fires once per occurrence and then waits for the next', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    await defineSchedule(db, clock, digest);
    expect(await schedule('digest')).toMatchObject({
      cron: '0 9 * * *',
      time_zone: 'America/New_York',
      next_run_at: '2026-01-01T14:00:00.000Z',
    });

    clock.set(new Date('2026-01-01T13:59:59.999Z'));
    expect(await fireDueSchedules(db, dialect, clock)).toBe(0);
    clock.set(new Date('2026-01-01T14:00:00.000Z'));
    expect(await fireDueSchedules(db, dialect, clock)).toBe(1);
    expect(await fireDueSchedules(db, dialect, clock)).toBe(0);
    expect((await schedule('digest')).next_run_at).toBe('2026-01-02T14:00:00.000Z');
    expect(await jobs()).toEqual([
      {
        name: 'digest',
        unique_key: 'digest:2026-01-01T14:00:00.000Z',
        payload: '{"scheduledFor":"2026-01-01T14:00:00.000Z"}',
        status: 'queued',
      },
    ]);
  });

  it('fires an occurrence once even when two runners race for it', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    await defineSchedule(db, clock, { name: 'tick', cron: '*/5 * * * *', timeZone: 'UTC' });
    let runs = 0;
    const make = (owner: string) =>
      new JobRunner({ db, dialect, clock, owner, handlers: { tick: async () => void runs++ }, log: { info() {}, warn() {}, error() {} } });
    const [a, b] = [make('A'), make('B')];
    for (const minute of [5, 10]) {
      clock.set(new Date(`2026-01-01T12:${String(minute).padStart(2, '0')}:00.000Z`));
      const fired = await Promise.all([a.fireDueSchedules(), b.fireDueSchedules(), fireDueSchedules(db, dialect, clock)]);
      expect(fired.reduce((x, y) => x + y, 0)).toBe(1);
      await Promise.all([a.runOnce(), b.runOnce()]);
    }
    expect(runs).toBe(2);
    expect((await jobs()).map((j) => [j.unique_key, j.status])).toEqual([
      ['tick:2026-01-01T12:05:00.000Z', 'done'],
      ['tick:2026-01-01T12:10:00.000Z', 'done'],
    ]);
  });

  it('coalesces occurrences missed while nothing ran into one job', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    await defineSchedule(db, clock, { name: 'tick', cron: '*/5 * * * *', timeZone: 'UTC' });
    clock.set(new Date('2026-01-01T13:01:00.000Z')); // 12:05 … 13:00 all missed
    expect(await fireDueSchedules(db, dialect, clock)).toBe(1);
    expect(await fireDueSchedules(db, dialect, clock)).toBe(0);
    expect((await jobs()).map((j) => j.unique_key)).toEqual(['tick:2026-01-01T12:05:00.000Z']);
    expect((await schedule('tick')).next_run_at).toBe('2026-01-01T13:05:00.000Z');
  });

  it('keeps next_run_at when redefined unchanged, so a restart still fires the overdue occurrence', async () => {
    const { db, dialect } = handle();
    const clock = new FixedClock();
    await defineSchedule(db, clock, digest);
    clock.set(new Date('2026-01-01T15:00:00.000Z')); // down over 14:00, now restarting
    await defineSchedule(db, clock, digest);
    expect((await schedule('digest')).next_run_at).toBe('2026-01-01T14:00:00.000Z');
    expect(await fireDueSchedules(db, dialect, clock)).toBe(1);
  });

  it('recomputes next_run_at when the cron or zone changes', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    await defineSchedule(db, clock, digest);
    await defineSchedule(db, clock, { ...digest, cron: '30 8 * * *' });
    expect(await schedule('digest')).toMatchObject({ cron: '30 8 * * *', next_run_at: '2026-01-01T13:30:00.000Z' });
    await defineSchedule(db, clock, { ...digest, cron: '30 8 * * *', timeZone: 'Europe/London' });
    expect(await schedule('digest')).toMatchObject({ time_zone: 'Europe/London', next_run_at: '2026-01-02T08:30:00.000Z' });
  });

  it('refuses an invalid cron expression or time zone and stores nothing', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    await expect(defineSchedule(db, clock, { ...digest, cron: 'every day at 9' })).rejects.toThrow(
      /invalid cron expression "every day at 9"/,
    );
    await expect(defineSchedule(db, clock, { ...digest, cron: '61 * * * *' })).rejects.toThrow(/invalid cron expression/);
    await expect(defineSchedule(db, clock, { ...digest, cron: '0 9 30 2 *' })).rejects.toThrow(/invalid cron expression/);
    await expect(defineSchedule(db, clock, { ...digest, cron: '  ' })).rejects.toThrow(/cron expression is empty/);
    await expect(defineSchedule(db, clock, { ...digest, timeZone: 'Mars/Olympus_Mons' })).rejects.toThrow(/not a valid IANA time zone/);
    await expect(defineSchedule(db, clock, { ...digest, timeZone: '' })).rejects.toThrow(/not a valid IANA time zone/);
    expect(await db.selectFrom('job_schedules').selectAll().execute()).toEqual([]);
  });
});
