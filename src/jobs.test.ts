import { expect, it } from 'vitest';
import { createStaff, createTestApp } from '../test/support/app.ts';
import { describeEachDatabase } from '../test/support/databases.ts';
import { issueAuthToken } from './accounts/auth-tokens.ts';
import { createJobRunner } from './jobs.ts';
import { createSession, SESSION_ABSOLUTE_MS } from './platform/auth/sessions.ts';
import { FixedClock } from './platform/clock.ts';
import { hitRateLimit } from './platform/http/rate-limit.ts';
import { DONE_JOB_RETENTION_MS, FAILED_JOB_RETENTION_MS, purgeFinishedJobs } from './platform/jobs/purge.ts';

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
    // Features' own schedules (subscriptions) come due as well; this test is about the cleanup.
    expect(await runner.fireDueSchedules()).toBeGreaterThanOrEqual(1);
    while ((await runner.runOnce()) > 0);

    expect(await ctx.db.selectFrom('sessions').select('token_hash').execute()).toHaveLength(1);
    expect(live).toBeTruthy();
    // The setup link made by createStaff was used but expires later; only the recovery link is gone.
    expect(await ctx.db.selectFrom('auth_tokens').select('purpose').where('purpose', '=', 'recovery').execute()).toEqual([]);
    expect((await ctx.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['long']);
    const job = await ctx.db.selectFrom('jobs').select(['name', 'status']).where('name', '=', 'platform.cleanup').executeTakeFirstOrThrow();
    expect(job).toEqual({ name: 'platform.cleanup', status: 'done' });
    await app.close();
  });

  it('forgets finished jobs after their retention but keeps queued, running and recent ones', async () => {
    const clock = new FixedClock(new Date('2026-05-01T10:00:00Z'));
    const { app, ctx } = await createTestApp(handle(), { clock });
    const at = (ms: number) => new Date(clock.now().getTime() - ms).toISOString();
    const job = (name: string, status: 'queued' | 'running' | 'done' | 'failed', finishedAgoMs: number | null) => ({
      name,
      status,
      payload: '{"email":"someone@example.gov"}',
      run_at: at(FAILED_JOB_RETENTION_MS * 2),
      max_attempts: 1,
      created_at: at(FAILED_JOB_RETENTION_MS * 2),
      finished_at: finishedAgoMs === null ? null : at(finishedAgoMs),
    });
    await ctx.db
      .insertInto('jobs')
      .values([
        job('old-done', 'done', DONE_JOB_RETENTION_MS + 1),
        job('recent-done', 'done', DONE_JOB_RETENTION_MS - 1),
        job('old-failed', 'failed', FAILED_JOB_RETENTION_MS + 1),
        job('recent-failed', 'failed', DONE_JOB_RETENTION_MS + 1),
        job('queued', 'queued', null),
        job('running', 'running', null),
      ])
      .execute();

    expect(await purgeFinishedJobs(ctx.db, clock)).toBe(2);
    const left = await ctx.db.selectFrom('jobs').select('name').orderBy('name').execute();
    expect(left.map((r) => r.name)).toEqual(['queued', 'recent-done', 'recent-failed', 'running']);
    await app.close();
  });
});
