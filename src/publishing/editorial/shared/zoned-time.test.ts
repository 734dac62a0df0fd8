import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TIME_ZONES, utcToZonedTime, zonedTimeToUtc } from './zoned-time.ts';

const utc = (date: string, time: string, zone: string) => zonedTimeToUtc(date, time, zone)?.toISOString();

describe('zonedTimeToUtc', () => {
  it('uses the offset in force on that date, across daylight saving', () => {
    expect(utc('2024-01-22', '11:00', 'America/New_York')).toBe('2024-01-22T16:00:00.000Z');
    expect(utc('2024-07-04', '11:00', 'America/New_York')).toBe('2024-07-04T15:00:00.000Z');
    expect(utc('2024-07-04', '11:00', 'America/Phoenix')).toBe('2024-07-04T18:00:00.000Z');
    expect(utc('2024-07-04', '11:00', 'America/Los_Angeles')).toBe('2024-07-04T18:00:00.000Z');
    expect(utc('2024-01-22', '11:00', 'Pacific/Honolulu')).toBe('2024-01-22T21:00:00.000Z');
    expect(utc('2024-01-22', '11:00:30', 'UTC')).toBe('2024-01-22T11:00:30.000Z');
  });

  it('takes the earlier of a time that happens twice, and moves a skipped time forward', () => {
    // 2024-11-03 01:30 happens in EDT (05:30Z) and again in EST (06:30Z).
    expect(utc('2024-11-03', '01:30', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    // 2024-03-10 02:30 does not exist in New York; it reads as 03:30 EDT.
    expect(utc('2024-03-10', '02:30', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    // Either side of the change, plain answers.
    expect(utc('2024-03-10', '01:59', 'America/New_York')).toBe('2024-03-10T06:59:00.000Z');
    expect(utc('2024-03-10', '03:00', 'America/New_York')).toBe('2024-03-10T07:00:00.000Z');
  });

  it('refuses impossible dates, times and zones', () => {
    expect(zonedTimeToUtc('2024-02-30', '10:00', 'UTC')).toBeUndefined();
    expect(zonedTimeToUtc('2023-02-29', '10:00', 'UTC')).toBeUndefined();
    expect(zonedTimeToUtc('2024-01-22', '24:00', 'UTC')).toBeUndefined();
    expect(zonedTimeToUtc('2024-01-22', '9:00', 'UTC')).toBeUndefined();
    expect(zonedTimeToUtc('22/01/2024', '10:00', 'UTC')).toBeUndefined();
    expect(zonedTimeToUtc('2024-01-22', '10:00', 'Mars/Olympus_Mons')).toBeUndefined();
  });

  it('round-trips every wall time that exists, in every offered zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...EVENT_TIME_ZONES.map((z) => z.value)),
        (instant, zone) => {
          const whole = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
          const wall = utcToZonedTime(whole, zone);
          const back = zonedTimeToUtc(wall.date, wall.time, zone);
          // The wall time of an instant maps back to it, or to the earlier instant with the same wall time.
          expect(back).toBeDefined();
          expect(utcToZonedTime(back!, zone)).toEqual(wall);
          expect(back!.getTime()).toBeLessThanOrEqual(whole.getTime());
          expect(whole.getTime() - back!.getTime()).toBeLessThanOrEqual(60 * 60 * 1000);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('utcToZonedTime', () => {
  it('gives the date and time on the zone’s clock', () => {
    expect(utcToZonedTime('2024-01-22T16:00:00.000Z', 'America/New_York')).toEqual({ date: '2024-01-22', time: '11:00' });
    expect(utcToZonedTime('2024-01-23T03:30:15.000Z', 'America/Los_Angeles')).toEqual({ date: '2024-01-22', time: '19:30:15' });
  });
});
