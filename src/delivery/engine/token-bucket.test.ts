import { describe, expect, it } from 'vitest';
import { defaultBurst, TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('lets a burst through at once, then spaces messages at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    // The bucket is empty: the 4th, 5th, 6th wait 100, 200, 300 ms.
    expect(bucket.reserve()).toBeCloseTo(100);
    expect(bucket.reserve()).toBeCloseTo(200);
    expect(bucket.reserve()).toBeCloseTo(300);
    // 300 ms later those have gone out and the next waits its own 100 ms.
    now = 300;
    expect(bucket.reserve()).toBeCloseTo(100);
  });

  it('refills continuously but never beyond the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 2, () => now);
    bucket.reserve();
    bucket.reserve();
    now = 5; // half a token
    expect(bucket.reserve()).toBeCloseTo(5);
    now = 60_000; // a long idle: still only two at once
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBeCloseTo(10);
  });

  it('keeps the average rate over a long run whatever the sleeps', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 5, () => now);
    for (let i = 0; i < 1000; i++) now += bucket.reserve();
    // 1000 messages at 50/s, the first 5 free: 995 / 50 s.
    expect(now).toBeCloseTo(19_900, 0);
  });

  it('refuses a rate or burst that could never send', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0)).toThrow(RangeError);
  });

  it('keeps the default burst small: at most the concurrency and a tenth of a second of rate', () => {
    expect(defaultBurst(50, 5)).toBe(5);
    expect(defaultBurst(20, 5)).toBe(2);
    expect(defaultBurst(1, 5)).toBe(1);
    expect(defaultBurst(100_000, 8)).toBe(8);
  });
});
