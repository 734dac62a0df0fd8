import { describe, expect, it } from 'vitest';
import { progressReporter } from './progress.ts';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
}

describe('CLI progress', () => {
  it('on a terminal rewrites one line in place, with the rate and the percent done, at most ten times a second', () => {
    let now = 0;
    const out = output(true);
    const progress = progressReporter(out, { label: 'Checking big.csv', total: 1000, unit: 'lines', now: () => now });
    now = 1000;
    progress.update(250, 5000);
    now = 1050;
    progress.update(300, 6000); // too soon after the last drawing
    now = 2000;
    progress.update(500, 10_000);
    progress.finish(20_000);
    expect(out.written).toEqual([
      '\rChecking big.csv: 25% (5,000 lines, 5,000 lines/s)\u001b[K',
      '\rChecking big.csv: 50% (10,000 lines, 5,000 lines/s)\u001b[K',
      '\rChecking big.csv: 100% (20,000 lines, 10,000 lines/s)\u001b[K\n',
    ]);
  });

  it('elsewhere prints a plain line each tenth of the way, and one at the end', () => {
    let now = 0;
    const out = output(false);
    const progress = progressReporter(out, { label: 'Exporting subscribers', total: 100, unit: 'rows', now: () => now });
    for (let done = 1; done <= 100; done++) {
      now = done * 10;
      progress.update(done, done);
    }
    progress.finish(100);
    progress.finish(100);
    expect(out.written).toHaveLength(10);
    expect(out.written[0]).toBe('Exporting subscribers: 10% (10 rows, 100 rows/s)\n');
    expect(out.written.at(-1)).toBe('Exporting subscribers: 100% (100 rows, 100 rows/s)\n');
    expect(out.written.join('')).not.toContain('\r');
  });
});
