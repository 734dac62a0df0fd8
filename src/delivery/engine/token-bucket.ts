/**
 * The rate limit of one transport: `ratePerSecond` tokens flow in continuously, at most `burst`
 * are kept, and each message takes one. Taking is a reservation: the count may go below zero and
 * the caller is told how long to wait before its message may leave, so a single sending loop
 * keeps the average rate exactly whatever timer granularity it sleeps with.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    /** Milliseconds from any fixed origin; tests pass their own clock. */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`TokenBucket: rate must be positive, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`TokenBucket: burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token and returns how many milliseconds the caller must wait before using it (0: go now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSecond;
  }
}

/** A small burst: enough to fill the connections after a pause, too small to break the promised rate. */
export function defaultBurst(ratePerSecond: number, concurrency: number): number {
  return Math.max(1, Math.min(concurrency, Math.ceil(ratePerSecond / 10)));
}
