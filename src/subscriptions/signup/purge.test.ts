import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { createJobRunner } from '../../jobs.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { nextOccurrence } from '../../platform/jobs/index.ts';
import { subscriptionSchedules } from '../jobs.ts';
import { purgeUnconfirmed } from './purge-unconfirmed.ts';
import { PURGE_UNCONFIRMED_JOB } from './signup-rules.ts';
import { appOnFixedClock, processRequests, seedSubscriber, signUp, subscriberState, suppress } from './test-support.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function requestEmails(ctx: AppContext) {
  const rows = await ctx.db.selectFrom('subscription_requests').select('email').orderBy('email').execute();
  return rows.map((row) => row.email);
}

async function subscriberEmails(ctx: AppContext) {
  const rows = await ctx.db.selectFrom('subscribers').select('email').orderBy('email').execute();
  return rows.map((row) => row.email);
}

describeEachDatabase('purging unconfirmed sign-ups', ({ handle }) => {
  const start = appOnFixedClock(handle);

  it('removes expired links, stale unprocessed requests and old pending subscribers with all they have, and nothing else', async () => {
    const { app, ctx, clock } = await start();
    // Day 0: three sign-ups that will never be confirmed, one for a suppressed address, and a subscriber.
    await signUp(app, ctx, 'expired@example.gov');
    await signUp(app, ctx, 'renewed@example.gov');
    await suppress(ctx, 'bounced@example.gov', 'hard_bounce');
    await signUp(app, ctx, 'bounced@example.gov');
    await processRequests(ctx);
    const expiredId = (await subscriberState(ctx, 'expired@example.gov'))?.id as string;
    await ctx.db
      .insertInto('subscriber_access_tokens')
      .values({
        token_hash: 'f'.repeat(64),
        subscriber_id: expiredId,
        purpose: 'sign_in',
        created_at: iso(clock.now()),
        expires_at: iso(new Date(clock.now().getTime() + 10 * 60_000)),
        used_at: null,
      })
      .execute();
    await seedSubscriber(ctx, 'active@example.gov', 'active');
    const dayZero = iso(clock.now());

    // Day 6.5: "renewed" asks again and gets a fresh link; a new person signs up.
    clock.advance(6 * DAY + 12 * HOUR);
    await signUp(app, ctx, 'renewed@example.gov');
    await signUp(app, ctx, 'recent@example.gov');
    await processRequests(ctx);
    // And a request from day 0 the job never got to (the worker was down all week).
    await ctx.db
      .insertInto('subscription_requests')
      .values({
        id: '00000000-0000-4000-8000-000000000099',
        email: 'never-processed@example.gov',
        topic_ids: '[]',
        source: 'subscribe-page',
        ip_hash: null,
        user_agent: null,
        created_at: dayZero,
        processed_at: null,
        token_hash: null,
        expires_at: null,
      })
      .execute();

    // Day 7 plus an hour.
    clock.advance(12 * HOUR + HOUR);
    expect(await purgeUnconfirmed(ctx)).toEqual({ requests: 4, subscribers: 1 });

    // Gone: the expired link, the day-0 link of "renewed", the closed suppressed request, the unprocessed one.
    expect(await requestEmails(ctx)).toEqual(['recent@example.gov', 'renewed@example.gov']);
    // Gone: "expired" (pending a week, no live link) with its topics, history and tokens.
    expect(await subscriberEmails(ctx)).toEqual(['active@example.gov', 'recent@example.gov', 'renewed@example.gov']);
    for (const table of ['subscriptions', 'subscriber_events', 'subscriber_access_tokens'] as const) {
      expect(await ctx.db.selectFrom(table).select('subscriber_id').where('subscriber_id', '=', expiredId).execute(), table).toEqual([]);
    }
    // The trigger-kept counts followed: two pending (recent, renewed) and one active remain.
    const totals = await ctx.db.selectFrom('subscription_counts').select(['status', 'subscribers']).where('topic_id', '=', '').execute();
    expect(Object.fromEntries(totals.map((t) => [t.status, t.subscribers]))).toMatchObject({ pending: 2, active: 1 });

    // Running again finds nothing.
    expect(await purgeUnconfirmed(ctx)).toEqual({ requests: 0, subscribers: 0 });

    // Two days on, the renewed link has expired too; with no live request, and older than a week, it goes.
    clock.advance(2 * DAY);
    expect(await purgeUnconfirmed(ctx)).toEqual({ requests: 2, subscribers: 1 });
    expect(await subscriberEmails(ctx)).toEqual(['active@example.gov', 'recent@example.gov']);
  });

  it('runs hourly from its schedule', async () => {
    const { ctx, clock } = await start();
    const schedule = subscriptionSchedules.find((s) => s.name === PURGE_UNCONFIRMED_JOB);
    expect(schedule).toBeDefined();
    const first = nextOccurrence(schedule!, clock.now());
    expect(nextOccurrence(schedule!, first).getTime() - first.getTime()).toBe(HOUR);

    const runner = await createJobRunner(ctx);
    clock.set(first);
    await runner.fireDueSchedules();
    expect(await runner.runOnce()).toBeGreaterThanOrEqual(1);
    const jobs = await ctx.db.selectFrom('jobs').select(['name', 'status']).where('name', '=', PURGE_UNCONFIRMED_JOB).execute();
    expect(jobs).toEqual([{ name: PURGE_UNCONFIRMED_JOB, status: 'done' }]);
  });
});
