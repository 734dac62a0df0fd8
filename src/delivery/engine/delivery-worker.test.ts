import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import { cancelCampaign } from './cancel-campaign.ts';
import { DeliveryWorker, type DeliveryWorkerOptions, NOT_ELIGIBLE_REASON } from './delivery-worker.ts';
import { claimRecipients } from './ledger.ts';
import { readProgress } from './read-progress.ts';
import { resumeCampaign } from './resume-campaign.ts';
import {
  addressesOf,
  campaignStatus,
  expectedMessageIds,
  ledgerCounts,
  publisher,
  type Sink,
  type SinkOptions,
  seedSubscribers,
  startedCampaign,
  startSink,
  topicIds,
} from './test-support.ts';

describeEachDatabase('the delivery worker', ({ handle, engine }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  /** The app on the test database with its bulk transport pointed at a fresh sink, and `count` eligible subscribers. */
  async function setup(count: number, sinkOptions: SinkOptions = {}) {
    const sink = await startSink(sinkOptions);
    cleanups.push(sink.close);
    const running: TestApp = await createTestApp(handle(), {
      env: {
        PUBLIC_URL: 'https://dispatch.example.gov',
        BULK_SMTP_URL: sink.url,
        DELIVERY_RATE_PER_SECOND: '100000',
        DELIVERY_CONCURRENCY: '4',
      },
    });
    cleanups.push(() => running.app.close());
    const { ctx } = running;
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count, topics: [topic] });
    return { ctx, sink, topic, ids };
  }

  function workerFor(ctx: TestApp['ctx'], options: Partial<DeliveryWorkerOptions> = {}) {
    const worker = new DeliveryWorker({ ctx, retryBaseMs: 1, pollMs: 20, ...options });
    cleanups.push(() => worker.stop());
    return worker;
  }

  /** Every address in `ids` received exactly one message, with its delivery's Message-ID, and nobody else got one. */
  async function expectEachOnce(ctx: TestApp['ctx'], sink: Sink, campaignId: number, ids: string[]) {
    const addresses = await addressesOf(ctx.db, ids);
    const messageIds = await expectedMessageIds(ctx, campaignId);
    const expected = new Map(ids.map((id) => [addresses.get(id) as string, messageIds.get(addresses.get(id) as string)]));
    expect(sink.deliveries).toHaveLength(expected.size);
    for (const delivery of sink.deliveries) expect(delivery.messageId).toBe(expected.get(delivery.to));
    expect(new Set(sink.deliveries.map((d) => d.to))).toEqual(new Set(expected.keys()));
  }

  it('delivers every eligible recipient once, marks each row sent, and finishes the campaign', async () => {
    const { ctx, sink, topic, ids } = await setup(300);
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const worker = workerFor(ctx, { batchSize: 64 });
    await worker.runUntilIdle(campaignId);
    await expectEachOnce(ctx, sink, campaignId, ids);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 300 });
    const rows = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['attempts', 'sent_at', 'lease_owner'])
      .where('campaign_id', '=', campaignId)
      .execute();
    expect(rows.every((r) => r.attempts === 1 && r.sent_at !== null && r.lease_owner === worker.owner)).toBe(true);
    const progress = await readProgress(ctx, campaignId);
    expect(progress).toMatchObject({
      status: 'finished',
      finished: true,
      recipients: 300,
      sent: 300,
      pending: 0,
      sending: 0,
      failed: 0,
      skipped: 0,
      etaSeconds: null,
      lastErrors: [],
      pausedReason: null,
    });
    expect(progress.ratePerSecond).toBeGreaterThan(0);
    const finished = await ctx.db
      .selectFrom('delivery_campaigns')
      .select('finished_at')
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(finished.finished_at).not.toBeNull();
  });

  it('retries a 4xx with backoff until it is accepted, and gives up after ten attempts', async () => {
    const tries = new Map<string, number>();
    const { ctx, sink, topic, ids } = await setup(30, {
      atRecipient(address) {
        const n = (tries.get(address) ?? 0) + 1;
        tries.set(address, n);
        if (address === 'reader7@example.com') return { code: 450, message: '4.2.1 Mailbox busy, try later' };
        // Every third recipient is deferred twice before it gets through.
        const index = Number(/\d+/.exec(address)?.[0]);
        return index % 3 === 0 && n <= 2 ? { code: 451, message: '4.3.0 Temporary failure' } : undefined;
      },
    });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    await workerFor(ctx).runUntilIdle(campaignId);
    const addresses = await addressesOf(ctx.db, ids);
    const stubborn = ids.find((id) => addresses.get(id) === 'reader7@example.com') as string;
    await expectEachOnce(
      ctx,
      sink,
      campaignId,
      ids.filter((id) => id !== stubborn),
    );
    expect(tries.get('reader7@example.com')).toBe(10);
    expect(tries.get('reader3@example.com')).toBe(3);
    const rows = await ctx.db
      .selectFrom('delivery_recipients')
      .innerJoin('subscribers', 'subscribers.id', 'delivery_recipients.subscriber_id')
      .select(['subscribers.email', 'delivery_recipients.status', 'delivery_recipients.attempts', 'delivery_recipients.last_error'])
      .where('campaign_id', '=', campaignId)
      .where('subscribers.email', 'in', ['reader3@example.com', 'reader4@example.com', 'reader7@example.com'])
      .orderBy('subscribers.email')
      .execute();
    expect(rows).toEqual([
      { email: 'reader3@example.com', status: 'sent', attempts: 3, last_error: null },
      { email: 'reader4@example.com', status: 'sent', attempts: 1, last_error: null },
      {
        email: 'reader7@example.com',
        status: 'failed',
        attempts: 10,
        last_error: 'Gave up after 10 attempts. The last reply was: 450 4.2.1 Mailbox busy, try later',
      },
    ]);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
    // A deferral is not a bounce.
    expect(await ctx.db.selectFrom('delivery_bounces').selectAll().execute()).toEqual([]);
  });

  it('fails a 5xx at once; a refused recipient is a hard bounce and is suppressed, a refused message is not', async () => {
    const { ctx, sink, topic, ids } = await setup(10, {
      atRecipient: (address) => (address === 'reader3@example.com' ? { code: 550, message: '5.1.1 No such user here' } : undefined),
      beforeAccepting: (address) =>
        address === 'reader5@example.com' ? { code: 554, message: '5.7.1 Message refused by policy' } : undefined,
    });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    await workerFor(ctx).runUntilIdle(campaignId);
    const addresses = await addressesOf(ctx.db, ids);
    const idOf = (email: string) => ids.find((id) => addresses.get(id) === email) as string;
    await expectEachOnce(
      ctx,
      sink,
      campaignId,
      ids.filter((id) => id !== idOf('reader3@example.com') && id !== idOf('reader5@example.com')),
    );
    const failed = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'attempts', 'last_error'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'failed')
      .orderBy('last_error')
      .execute();
    expect(failed).toEqual([
      { subscriber_id: idOf('reader3@example.com'), attempts: 1, last_error: '550 5.1.1 No such user here' },
      { subscriber_id: idOf('reader5@example.com'), attempts: 1, last_error: '554 5.7.1 Message refused by policy' },
    ]);
    const bounces = await ctx.db
      .selectFrom('delivery_bounces')
      .select(['campaign_id', 'subscriber_id', 'kind', 'source', 'status_code'])
      .execute();
    expect(bounces).toEqual([
      { campaign_id: campaignId, subscriber_id: idOf('reader3@example.com'), kind: 'hard', source: 'smtp', status_code: '5.1.1' },
    ]);
    const statuses = await ctx.db
      .selectFrom('subscribers')
      .select(['email', 'status'])
      .where('email', 'in', ['reader3@example.com', 'reader5@example.com'])
      .orderBy('email')
      .execute();
    expect(statuses).toEqual([
      { email: 'reader3@example.com', status: 'unsubscribed' },
      { email: 'reader5@example.com', status: 'active' },
    ]);
    expect(await ctx.db.selectFrom('subscriber_suppressions').select('reason').execute()).toEqual([{ reason: 'hard_bounce' }]);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
  });

  it('pauses the campaign itself after too many failures in a row, says why, and resumes from where it stopped', async () => {
    let relayDown = true;
    const { ctx, sink, topic, ids } = await setup(60, {
      atRecipient: () => (relayDown ? { code: 451, message: '4.4.1 Upstream relay unavailable' } : undefined),
    });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    await workerFor(ctx, { errorLimit: 5, retryBaseMs: 60_000 }).runUntilIdle(campaignId);
    const reason = 'Paused automatically after 5 failed sends in a row. The last reply was: 451 4.4.1 Upstream relay unavailable';
    expect(await campaignStatus(ctx.db, campaignId)).toEqual({ status: 'paused', paused_reason: reason, recipients: 60 });
    expect(sink.deliveries).toEqual([]);
    // Every row is open again: the failed ones wait for their retry, the rest were handed back.
    const counts = await ledgerCounts(ctx.db, campaignId);
    expect(counts).toEqual({ pending: 60 });
    const progress = await readProgress(ctx, campaignId);
    expect(progress).toMatchObject({ status: 'paused', pausedReason: reason, finished: false, pending: 60, etaSeconds: null });
    expect(progress.lastErrors).toEqual(['451 4.4.1 Upstream relay unavailable']);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('subject_id', '=', String(campaignId))
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toEqual({ action: 'campaign.paused', actor: 'system', details: JSON.stringify({ reason }) });

    relayDown = false;
    await resumeCampaign(ctx, { campaignId, actor: publisher });
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'sending', paused_reason: null });
    // Rows deferred before the pause keep their backoff; move it, as waiting a minute would.
    await ctx.db
      .updateTable('delivery_recipients')
      .set({ due_at: new Date().toISOString() })
      .where('campaign_id', '=', campaignId)
      .execute();
    await workerFor(ctx).runUntilIdle(campaignId);
    await expectEachOnce(ctx, sink, campaignId, ids);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
  });

  it('reclaims the rows of a worker that died holding them once their lease expires', async () => {
    const { ctx, sink, topic, ids } = await setup(40);
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const now = new Date();
    const dead = await claimRecipients(ctx.db, engine, {
      campaignId,
      owner: 'dead-worker',
      limit: 25,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 400).toISOString(),
    });
    expect(dead).toHaveLength(25);
    const started = Date.now();
    await workerFor(ctx, { pollMs: 50 }).runUntilIdle(campaignId);
    // It waited for the lease rather than taking the rows early.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await expectEachOnce(ctx, sink, campaignId, ids);
    const attempts = await ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => ['attempts', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('attempts')
      .orderBy('attempts')
      .execute();
    expect(attempts.map((a) => [a.attempts, Number(a.n)])).toEqual([
      [1, 15],
      [2, 25],
    ]);
  });

  it('skips a recipient who stopped being eligible after the start, with the reason', async () => {
    const { ctx, sink, topic, ids } = await setup(12);
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const [unsubscribed, paused, deleted, leftTopic] = ids as [string, string, string, string];
    await ctx.db.updateTable('subscribers').set({ status: 'unsubscribed' }).where('id', '=', unsubscribed).execute();
    await ctx.db.updateTable('subscribers').set({ status: 'paused' }).where('id', '=', paused).execute();
    await ctx.db.deleteFrom('subscriptions').where('subscriber_id', 'in', [deleted, leftTopic]).execute();
    await ctx.db.deleteFrom('subscribers').where('id', '=', deleted).execute();
    await workerFor(ctx).runUntilIdle(campaignId);
    await expectEachOnce(ctx, sink, campaignId, ids.slice(4));
    const skipped = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'last_error'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'skipped')
      .execute();
    expect(new Set(skipped.map((s) => s.subscriber_id))).toEqual(new Set([unsubscribed, paused, deleted, leftTopic]));
    expect(skipped.every((s) => s.last_error === NOT_ELIGIBLE_REASON)).toBe(true);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
  });

  it('stops within a chunk when the campaign is cancelled, recording what the server had already accepted', async () => {
    let accepted = 0;
    let cancel: (() => void) | undefined;
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    const { ctx, sink, topic } = await setup(400, {
      beforeAccepting: async () => {
        accepted++;
        if (accepted === 50) cancel?.();
        await new Promise((resolve) => setTimeout(resolve, 2));
        return undefined;
      },
    });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const worker = workerFor(ctx);
    const sending = worker.runUntilIdle(campaignId);
    await cancelled;
    await cancelCampaign(ctx, { campaignId, actor: publisher });
    await sending;
    const counts = await ledgerCounts(ctx.db, campaignId);
    // Everything the sink accepted is recorded sent; the rest is skipped; nothing is left open.
    expect(counts.sent).toBe(sink.deliveries.length);
    expect((counts.sent ?? 0) + (counts.skipped ?? 0)).toBe(400);
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.sending ?? 0).toBe(0);
    // Within one chunk (4 × concurrency) and the messages in flight of the moment it was noticed.
    expect(sink.deliveries.length).toBeLessThan(50 + 2 * 16 + 4);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('cancelled');
  });

  it('reports progress from rows: counts, the last minute’s rate, the ETA and the newest distinct errors', async () => {
    const running = await createTestApp(handle(), { clock: new FixedClock(new Date('2030-05-01T12:00:00.000Z')) });
    cleanups.push(() => running.app.close());
    const { ctx } = running;
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 9, topics: [topic] });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const set = (index: number, values: Record<string, string>) =>
      ctx.db
        .updateTable('delivery_recipients')
        .set(values)
        .where('campaign_id', '=', campaignId)
        .where('subscriber_id', '=', ids[index] as string)
        .execute();
    await set(0, { status: 'sent', due_at: '2030-05-01T11:59:30.000Z' });
    await set(1, { status: 'sent', due_at: '2030-05-01T11:59:40.000Z' });
    await set(2, { status: 'sent', due_at: '2030-05-01T11:59:50.000Z' });
    await set(3, { status: 'sent', due_at: '2030-05-01T11:50:00.000Z' }); // long before the last minute
    await set(4, { status: 'failed', due_at: '2030-05-01T11:59:55.000Z', last_error: '550 5.1.1 No such user' });
    await set(5, { status: 'failed', due_at: '2030-05-01T11:59:45.000Z', last_error: '550 5.1.1 No such user' });
    await set(6, { status: 'pending', due_at: '2030-05-01T12:00:08.000Z', last_error: '421 4.7.0 Slow down' });
    await set(7, { status: 'skipped', last_error: 'cancelled' });
    expect(await readProgress(ctx, campaignId)).toEqual({
      status: 'sending',
      recipients: 9,
      pending: 2,
      sending: 0,
      sent: 4,
      failed: 2,
      skipped: 1,
      // Three in the 30 s since the first of them.
      ratePerSecond: 0.1,
      etaSeconds: 20,
      lastErrors: ['421 4.7.0 Slow down', '550 5.1.1 No such user'],
      pausedReason: null,
      finished: false,
    });
    await expect(readProgress(ctx, 987_654)).rejects.toThrow('could not be found');
  });
});
