import { onTestFinished } from 'vitest';
import { FixedClock } from '../../src/platform/clock.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { createTestApp } from '../support/app.ts';

/** Before the demo event (Monday, January 22, 2024, 11:00 AM ET). */
export const BEFORE_DEMO_EVENT = new Date('2024-01-15T12:00:00.000Z');

/** The real app, seeded with the demo issue, on a fixed clock; closed when the test ends. */
export async function openApp(database: DatabaseHandle, options: { now?: Date; publicUrl?: string } = {}) {
  const clock = new FixedClock(options.now ?? BEFORE_DEMO_EVENT);
  const env: Record<string, string> = options.publicUrl ? { PUBLIC_URL: options.publicUrl } : {};
  const test = await createTestApp(database, { clock, env });
  onTestFinished(() => test.app.close());
  const get = (url: string) => test.app.inject({ method: 'GET', url });
  return { ...test, clock, get };
}
