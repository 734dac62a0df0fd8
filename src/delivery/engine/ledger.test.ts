import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { claimRecipients, finishIfDone, markFailed, markSent, markSkipped, nextDueAt, releaseClaims, scheduleRetry } from './ledger.ts';
import { campaignStatus, ledgerCounts, seedSubscribers, startedCampaign, topicIds } from './test-support.ts';

const T0 = '2030-01-01T00:00:00.000Z';
const T1 = '2030-01-01T00:01:00.000Z';
const T2 = '2030-01-01T00:02:00.000Z';
const T3 = '2030-01-01T00:03:00.000Z';

describeEachDatabase('the send ledger', ({ handle, engine }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });
  const campaignOf = async (count: number) => {
    running = await createTestApp(handle());
    const { ctx } = running;
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count, topics: [topic] });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    // The rows were written "now"; the tests below move in a later, fixed time.
    return { ctx, ids, campaignId };
  };
  const claim = (ctx: TestApp['ctx'], campaignId: number, owner: string, now: string, leaseUntil: string, limit = 100) =>
    claimRecipients(ctx.db, engine, { campaignId, owner, limit, now, leaseUntil });
  const statusOf = async (ctx: TestApp['ctx'], campaignId: number, subscriberId: string) =>
    ctx.db
      .selectFrom('delivery_recipients')
      .select(['status', 'lease_owner', 'attempts', 'due_at', 'last_error', 'sent_at'])
      .where('campaign_id', '=', campaignId)
      .where('subscriber_id', '=', subscriberId)
      .executeTakeFirstOrThrow();

  it('claims disjoint batches under a lease and counts each claim as an attempt', async () => {
    const { ctx, ids, campaignId } = await campaignOf(5);
    const a = await claim(ctx, campaignId, 'a', T0, T1, 3);
    const b = await claim(ctx, campaignId, 'b', T0, T1, 3);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    expect(new Set([...a, ...b].map((r) => r.subscriberId))).toEqual(new Set(ids));
    expect([...a, ...b].every((r) => r.attempts === 1)).toBe(true);
    expect(await claim(ctx, campaignId, 'c', T0, T1)).toEqual([]);
    expect(await statusOf(ctx, campaignId, a[0]?.subscriberId as string)).toMatchObject({
      status: 'sending',
      lease_owner: 'a',
      due_at: T1,
    });
    // Not finished while rows are held.
    expect(await finishIfDone(ctx.db, campaignId, T0)).toBe(false);
    expect(await nextDueAt(ctx.db, [campaignId])).toBe(T1);
  });

  it('claims concurrently without handing one row to two workers', async () => {
    const { ctx, ids, campaignId } = await campaignOf(200);
    const batches = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((owner) => claim(ctx, campaignId, owner, T0, T1, 40)));
    const claimed = batches.flat().map((r) => r.subscriberId);
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed)).toEqual(new Set(ids));
    const owners = await ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => ['lease_owner', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('lease_owner')
      .execute();
    expect(owners.reduce((sum, o) => sum + Number(o.n), 0)).toBe(200);
    for (const [i, batch] of batches.entries()) {
      expect(owners.find((o) => o.lease_owner === 'abcdef'[i])?.n ?? 0).toEqual(batch.length);
    }
  });

  it('reclaims rows whose lease expired, and fences the first holder out of every write', async () => {
    const { ctx, ids, campaignId } = await campaignOf(2);
    const [first, second] = await claim(ctx, campaignId, 'stale', T0, T1);
    if (!first || !second) throw new Error('expected two rows');
    // Before the lease runs out nobody else gets them; after, anyone does (no separate reclaim step).
    expect(await claim(ctx, campaignId, 'fresh', T0, T2)).toEqual([]);
    const taken = await claim(ctx, campaignId, 'fresh', T1, T2);
    expect(taken.map((r) => r.attempts)).toEqual([2, 2]);
    expect(new Set(taken.map((r) => r.subscriberId))).toEqual(new Set(ids));

    const holder = { campaignId, owner: 'stale' };
    expect(await markSent(ctx.db, holder, [first], T1)).toBe(0);
    expect(await scheduleRetry(ctx.db, holder, second, T3, '421 later')).toBe(false);
    expect(await markFailed(ctx.db, holder, second, T1, '550 no')).toBe(false);
    expect(await markSkipped(ctx.db, holder, [first], 'x')).toBe(0);
    expect(await releaseClaims(ctx.db, holder, [first, second], T1)).toBe(0);
    // The same owner with an older claim of a row it took again is fenced out by the attempt count.
    const sameOwner = { campaignId, owner: 'fresh' };
    expect(await markSent(ctx.db, sameOwner, [{ ...first, attempts: 1 }], T1)).toBe(0);
    expect(await statusOf(ctx, campaignId, first.subscriberId)).toMatchObject({ status: 'sending', lease_owner: 'fresh', attempts: 2 });

    const [freshFirst, freshSecond] = taken.sort((x, y) =>
      x.subscriberId === first.subscriberId ? -1 : y.subscriberId === first.subscriberId ? 1 : 0,
    );
    expect(await markSent(ctx.db, sameOwner, [freshFirst!], T2)).toBe(1);
    expect(await statusOf(ctx, campaignId, first.subscriberId)).toMatchObject({
      status: 'sent',
      sent_at: T2,
      due_at: T2,
      last_error: null,
    });
    expect(await scheduleRetry(ctx.db, sameOwner, freshSecond!, T3, '421 4.7.0 later')).toBe(true);
    expect(await statusOf(ctx, campaignId, second.subscriberId)).toMatchObject({
      status: 'pending',
      lease_owner: null,
      due_at: T3,
      last_error: '421 4.7.0 later',
      attempts: 2,
    });
    // A retry is claimable only once it is due.
    expect(await claim(ctx, campaignId, 'fresh', T2, T3)).toEqual([]);
    const retried = await claim(ctx, campaignId, 'fresh', T3, '2030-01-01T00:04:00.000Z');
    expect(retried).toEqual([{ subscriberId: second.subscriberId, topicId: second.topicId, attempts: 3 }]);
    expect(await markFailed(ctx.db, sameOwner, retried[0]!, T3, '550 5.1.1 gone')).toBe(true);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 1, failed: 1 });
    expect(await finishIfDone(ctx.db, campaignId, T3)).toBe(true);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
    expect(await finishIfDone(ctx.db, campaignId, T3)).toBe(false);
  });

  it('gives back unsent claims without counting an attempt, skips with a reason, and claims nothing of a paused campaign', async () => {
    const { ctx, campaignId } = await campaignOf(3);
    const rows = await claim(ctx, campaignId, 'a', T0, T1);
    const holder = { campaignId, owner: 'a' };
    expect(await markSkipped(ctx.db, holder, [rows[0]!], 'no longer eligible')).toBe(1);
    expect(await releaseClaims(ctx.db, holder, rows.slice(1), T0)).toBe(2);
    expect(await statusOf(ctx, campaignId, rows[1]!.subscriberId)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lease_owner: null,
      due_at: T0,
    });
    expect(await statusOf(ctx, campaignId, rows[0]!.subscriberId)).toMatchObject({ status: 'skipped', last_error: 'no longer eligible' });

    await ctx.db.updateTable('delivery_campaigns').set({ status: 'paused' }).where('id', '=', campaignId).execute();
    expect(await claim(ctx, campaignId, 'a', T0, T1)).toEqual([]);
    // Never finished while paused, nor while rows are open.
    expect(await finishIfDone(ctx.db, campaignId, T0)).toBe(false);
    await ctx.db.updateTable('delivery_campaigns').set({ status: 'sending' }).where('id', '=', campaignId).execute();
    expect(await finishIfDone(ctx.db, campaignId, T0)).toBe(false);
    expect(await claim(ctx, campaignId, 'a', T0, T1)).toHaveLength(2);
  });

  it('records a message accepted in flight as sent even though a cancel skipped its row meanwhile', async () => {
    const { ctx, campaignId } = await campaignOf(2);
    const rows = await claim(ctx, campaignId, 'a', T0, T1);
    await ctx.db
      .updateTable('delivery_recipients')
      .set({ status: 'skipped', last_error: 'cancelled' })
      .where('campaign_id', '=', campaignId)
      .execute();
    const holder = { campaignId, owner: 'a' };
    expect(await markSent(ctx.db, holder, [rows[0]!], T0)).toBe(1);
    // A retry or a give-back does not bring a cancelled row back.
    expect(await scheduleRetry(ctx.db, holder, rows[1]!, T1, '421')).toBe(false);
    expect(await releaseClaims(ctx.db, holder, [rows[1]!], T0)).toBe(0);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 1, skipped: 1 });
  });
});
