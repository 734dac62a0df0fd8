import { expect, it } from 'vitest';
import { createStaff, createTestApp } from '../test/support/app.ts';
import { describeEachDatabase } from '../test/support/databases.ts';
import { issueAuthToken } from './accounts/auth-tokens.ts';
import { createJobRunner } from './jobs.ts';
import { createSession, SESSION_ABSOLUTE_MS } from './platform/auth/sessions.ts';
import { FixedClock } from './platform/clock.ts';
import { hitRateLimit } from './platform/http/rate-limit.ts';

describeEachDatabase('the cleanup job', ({ handle }) => {
  it('runs on its schedule and removes only expired sessions, links and rate-limit windows', async () => {
    const clock = new FixedClock(new Date('2026-05-01T10:07:00Z'));
    const { app, ctx } = await createTestApp(handle(), { clock });
    const staff = await createStaff(ctx, 'editor');
    await createSession(ctx.db, clock, { userId: staff.userId, awaitingSecondFactor: false, secondFactorVerified: false });
    await issueAuthToken(ctx, { purpose: 'recovery', userId: staff.userId, staffRole: null, ttlMs: 60_000 });
    await hitRateLimit(ctx.db, clock, 'short', 60_000);
    await hitRateLimit(ctx.db, clock, 'long', 24 * SESSION_ABSOLUTE_MS);

    const runner = await createJobRunner(ctx);
    clock.advance(SESSION_ABSOLUTE_MS);
    const live = await createSession(ctx.db, clock, { userId: staff.userId, awaitingSecondFactor: false, secondFactorVerified: false });
    expect(await runner.fireDueSchedules()).toBe(1);
    expect(await runner.runOnce()).toBe(1);

    expect(await ctx.db.selectFrom('sessions').select('token_hash').execute()).toHaveLength(1);
    expect(live).toBeTruthy();
    // The setup link made by createStaff was used but expires later; only the recovery link is gone.
    expect(await ctx.db.selectFrom('auth_tokens').select('purpose').where('purpose', '=', 'recovery').execute()).toEqual([]);
    expect((await ctx.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['long']);
    const job = await ctx.db.selectFrom('jobs').select(['name', 'status']).executeTakeFirstOrThrow();
    expect(job).toEqual({ name: 'platform.cleanup', status: 'done' });
    await app.close();
  });
});
