import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import { hitRateLimit, purgeExpiredRateLimits } from './rate-limit.ts';

describeEachDatabase('rate-limit counters', ({ handle }) => {
  it('count hits in a fixed window and restart after it', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    expect(await hitRateLimit(db, clock, 'k', 60_000)).toEqual({ hits: 1, ttlMs: 60_000 });
    clock.advance(10_000);
    expect(await hitRateLimit(db, clock, 'k', 60_000)).toEqual({ hits: 2, ttlMs: 50_000 });
    expect((await hitRateLimit(db, clock, 'other', 60_000)).hits).toBe(1);
    clock.advance(50_000);
    expect(await hitRateLimit(db, clock, 'k', 60_000)).toEqual({ hits: 1, ttlMs: 60_000 });
  });

  it('lose no hit under concurrency', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(db, clock, 'busy', 60_000)));
    expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('purge finished windows only', async () => {
    const { db } = handle();
    const clock = new FixedClock();
    await hitRateLimit(db, clock, 'old', 1_000);
    await hitRateLimit(db, clock, 'new', 60_000);
    clock.advance(2_000);
    expect(await purgeExpiredRateLimits(db, clock)).toBe(1);
    expect((await db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['new']);
  });
});
