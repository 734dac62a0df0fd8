import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { createJobRunner } from '../../jobs.ts';
import { AppError } from '../../platform/errors.ts';
import { cancelCampaign } from './cancel-campaign.ts';
import { pauseCampaign } from './pause-campaign.ts';
import { resumeCampaign } from './resume-campaign.ts';
import { START_CAMPAIGN_JOB, startCampaign } from './start-campaign.ts';
import {
  campaignStatus,
  DEMO_ISSUE_ID,
  insertCampaign,
  ledgerCounts,
  publisher,
  seedSubscribers,
  startedCampaign,
  topicIds,
} from './test-support.ts';
import { writeCampaignLedger } from './write-ledger.ts';

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describeEachDatabase('starting, pausing, resuming and cancelling a campaign', ({ handle }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });
  const start = async () => {
    running = await createTestApp(handle(), { env: { PUBLIC_URL: 'https://dispatch.example.gov' } });
    const { ctx } = running;
    return { ctx, topics: await topicIds(ctx.db) };
  };

  it('writes one pending row per eligible recipient in the transaction that starts the send', async () => {
    const { ctx, topics } = await start();
    const [dispatch, grants, events] = [topics.dispatch, topics.grants, topics.events] as [string, string, string];
    const [only] = await seedSubscribers(ctx.db, { count: 1, topics: [dispatch], prefix: 'only' });
    const [both] = await seedSubscribers(ctx.db, { count: 1, topics: [dispatch, grants], prefix: 'both' });
    await seedSubscribers(ctx.db, { count: 1, topics: [dispatch], status: 'pending', prefix: 'unconfirmed' });
    await seedSubscribers(ctx.db, { count: 1, topics: [dispatch], status: 'paused', prefix: 'paused' });
    await seedSubscribers(ctx.db, { count: 1, topics: [dispatch], status: 'unsubscribed', prefix: 'gone' });
    await seedSubscribers(ctx.db, { count: 1, topics: [dispatch], frequency: 'digest', prefix: 'digest' });
    await seedSubscribers(ctx.db, { count: 1, topics: [events], prefix: 'other-topic' });

    const campaignId = await insertCampaign(ctx.db, { topics: [dispatch, grants], subject: 'Issue 7 is out' });
    await startCampaign(ctx, { campaignId, actor: publisher });
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'queued', recipients: 0 });
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['name', 'payload', 'unique_key', 'status'])
      .where('name', '=', START_CAMPAIGN_JOB)
      .execute();
    expect(jobs).toEqual([
      {
        name: START_CAMPAIGN_JOB,
        payload: JSON.stringify({ campaignId }),
        unique_key: `${START_CAMPAIGN_JOB}:${campaignId}`,
        status: 'queued',
      },
    ]);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({});

    const before = Date.now();
    await writeCampaignLedger(ctx, { campaignId });
    const rows = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'topic_id', 'status', 'attempts', 'lease_owner', 'due_at'])
      .where('campaign_id', '=', campaignId)
      .orderBy('subscriber_id')
      .execute();
    // The subscriber in both topics has one row, through the lower topic id (the same on every restart).
    const expected = [
      { subscriber_id: only, topic_id: dispatch },
      { subscriber_id: both, topic_id: [dispatch, grants].sort()[0] },
    ].sort((a, b) => ((a.subscriber_id ?? '') < (b.subscriber_id ?? '') ? -1 : 1));
    expect(rows.map(({ subscriber_id, topic_id }) => ({ subscriber_id, topic_id }))).toEqual(expected);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', attempts: 0, lease_owner: null });
      expect(new Date(row.due_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    expect(campaign).toMatchObject({ status: 'sending', recipients: 2, subject: 'Issue 7 is out', started_by: 'publisher@example.gov' });
    // The message compiled once, for every worker and every restart to send exactly these bytes.
    expect(campaign.compiled_html).toContain('</html>');
    expect(campaign.compiled_text).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    expect(campaign.started_at).not.toBeNull();
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'subject_id'])
      .where('subject_type', '=', 'campaign')
      .execute();
    expect(audit).toEqual([{ action: 'campaign.started', actor: 'publisher@example.gov', subject_id: String(campaignId) }]);
  });

  it('starts a campaign once: a second start is a 409 and a repeated job writes no second ledger', async () => {
    const { ctx, topics } = await start();
    await seedSubscribers(ctx.db, { count: 3, topics: [topics.dispatch as string] });
    const campaignId = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    await startCampaign(ctx, { campaignId, actor: publisher });
    expect(await refusal(startCampaign(ctx, { campaignId, actor: publisher }))).toEqual({
      code: 'CONFLICT',
      message: 'This campaign has already been started. A campaign is never sent twice.',
    });
    await writeCampaignLedger(ctx, { campaignId });
    // A new subscriber, then the job again (a retry, or a duplicate from a restored snapshot): no-op.
    await seedSubscribers(ctx.db, { count: 1, topics: [topics.dispatch as string], prefix: 'late' });
    await writeCampaignLedger(ctx, { campaignId });
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ pending: 3 });
    expect(await refusal(startCampaign(ctx, { campaignId, actor: publisher }))).toMatchObject({ code: 'CONFLICT' });
    expect(await ctx.db.selectFrom('jobs').select('id').where('name', '=', START_CAMPAIGN_JOB).execute()).toHaveLength(1);

    await ctx.db.updateTable('delivery_campaigns').set({ status: 'finished' }).where('id', '=', campaignId).execute();
    expect(await refusal(startCampaign(ctx, { campaignId, actor: publisher }))).toEqual({
      code: 'CONFLICT',
      message: 'This campaign has already been sent. A campaign is never sent twice.',
    });
    const cancelled = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    await cancelCampaign(ctx, { campaignId: cancelled, actor: publisher });
    expect(await refusal(startCampaign(ctx, { campaignId: cancelled, actor: publisher }))).toEqual({
      code: 'CONFLICT',
      message: 'This campaign is cancelled, so it cannot be sent.',
    });
    expect(await refusal(startCampaign(ctx, { campaignId: 999_999, actor: publisher }))).toMatchObject({ code: 'NOT_FOUND' });
    // A scheduled campaign starts like a draft.
    const scheduled = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    await ctx.db.updateTable('delivery_campaigns').set({ status: 'scheduled' }).where('id', '=', scheduled).execute();
    await startCampaign(ctx, { campaignId: scheduled, actor: publisher });
    expect((await campaignStatus(ctx.db, scheduled)).status).toBe('queued');
  });

  it("is moved on by the installation's job runner: Send queues the job that writes the ledger", async () => {
    const { ctx, topics } = await start();
    await seedSubscribers(ctx.db, { count: 3, topics: [topics.dispatch as string] });
    const campaignId = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    await startCampaign(ctx, { campaignId, actor: publisher });
    const runner = await createJobRunner(ctx);
    while ((await runner.runOnce()) > 0);
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'sending', recipients: 3 });
    const job = await ctx.db
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('name', '=', START_CAMPAIGN_JOB)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', last_error: null });
  });

  it('finishes at once a campaign nobody is eligible for', async () => {
    const { ctx, topics } = await start();
    const campaignId = await startedCampaign(ctx, { topics: [topics.grants as string] });
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'finished', recipients: 0 });
  });

  it('puts the campaign back to draft, with the reason, when its source can no longer be compiled', async () => {
    const { ctx, topics } = await start();
    await seedSubscribers(ctx.db, { count: 2, topics: [topics.dispatch as string] });
    const campaignId = await insertCampaign(ctx.db, { topics: [topics.dispatch as string], issueId: 'an-issue-since-deleted' });
    await startCampaign(ctx, { campaignId, actor: publisher });
    await writeCampaignLedger(ctx, { campaignId });
    expect(await campaignStatus(ctx.db, campaignId)).toEqual({
      status: 'draft',
      paused_reason: 'Not sent: That issue could not be found.',
      recipients: 0,
    });
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({});
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('subject_id', '=', String(campaignId))
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toEqual({
      action: 'campaign.start_failed',
      actor: 'system',
      details: JSON.stringify({ reason: 'That issue could not be found.' }),
    });
    // Fixed (here: pointed at the published issue), it can be sent again.
    await ctx.db.updateTable('delivery_campaigns').set({ source_id: DEMO_ISSUE_ID }).where('id', '=', campaignId).execute();
    await startCampaign(ctx, { campaignId, actor: publisher });
    await writeCampaignLedger(ctx, { campaignId });
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'sending', recipients: 2 });
    await expect(writeCampaignLedger(ctx, { campaignId: 'x' })).rejects.toThrow();
  });

  it('pauses only a sending campaign, resumes only a paused one, and clears the reason', async () => {
    const { ctx, topics } = await start();
    await seedSubscribers(ctx.db, { count: 2, topics: [topics.dispatch as string] });
    const draft = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    expect(await refusal(pauseCampaign(ctx, { campaignId: draft, actor: publisher }))).toEqual({
      code: 'CONFLICT',
      message: 'This campaign is draft, so it cannot be paused.',
    });
    const campaignId = await startedCampaign(ctx, { topics: [topics.dispatch as string] });
    expect(await refusal(resumeCampaign(ctx, { campaignId, actor: publisher }))).toMatchObject({ code: 'CONFLICT' });
    await pauseCampaign(ctx, { campaignId, actor: publisher });
    expect(await refusal(pauseCampaign(ctx, { campaignId, actor: publisher }))).toMatchObject({ code: 'CONFLICT' });
    await ctx.db
      .updateTable('delivery_campaigns')
      .set({ paused_reason: 'Paused automatically after 50 failed sends in a row.' })
      .where('id', '=', campaignId)
      .execute();
    await resumeCampaign(ctx, { campaignId, actor: publisher });
    expect(await campaignStatus(ctx.db, campaignId)).toEqual({ status: 'sending', paused_reason: null, recipients: 2 });
    // Pausing and resuming never touch the ledger.
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ pending: 2 });
    expect(await refusal(pauseCampaign(ctx, { campaignId: 424_242, actor: publisher }))).toMatchObject({ code: 'NOT_FOUND' });
    const actions = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', String(campaignId))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['campaign.started', 'campaign.paused', 'campaign.resumed']);
  });

  it('cancels any unfinished campaign and skips every row not yet sent, held ones included', async () => {
    const { ctx, topics } = await start();
    const ids = await seedSubscribers(ctx.db, { count: 4, topics: [topics.dispatch as string] });
    const campaignId = await startedCampaign(ctx, { topics: [topics.dispatch as string] });
    const set = (id: string, values: { status: 'sent' | 'sending'; lease_owner?: string }) =>
      ctx.db.updateTable('delivery_recipients').set(values).where('campaign_id', '=', campaignId).where('subscriber_id', '=', id).execute();
    await set(ids[0] as string, { status: 'sent' });
    await set(ids[1] as string, { status: 'sending', lease_owner: 'worker-a' });
    await cancelCampaign(ctx, { campaignId, actor: publisher });
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('cancelled');
    const rows = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'status', 'last_error', 'lease_owner'])
      .where('campaign_id', '=', campaignId)
      .execute();
    const byId = new Map(rows.map((r) => [r.subscriber_id, r]));
    expect(byId.get(ids[0] as string)).toMatchObject({ status: 'sent', last_error: null });
    // The holder keeps its lease: if the server accepts its message in flight, it records "sent".
    expect(byId.get(ids[1] as string)).toMatchObject({ status: 'skipped', last_error: 'cancelled', lease_owner: 'worker-a' });
    expect(byId.get(ids[2] as string)).toMatchObject({ status: 'skipped', last_error: 'cancelled' });
    expect(await refusal(cancelCampaign(ctx, { campaignId, actor: publisher }))).toMatchObject({ code: 'CONFLICT' });
    expect(await refusal(resumeCampaign(ctx, { campaignId, actor: publisher }))).toMatchObject({ code: 'CONFLICT' });
    // A queued campaign can be cancelled too, and its start job then does nothing.
    const queued = await insertCampaign(ctx.db, { topics: [topics.dispatch as string] });
    await startCampaign(ctx, { campaignId: queued, actor: publisher });
    await cancelCampaign(ctx, { campaignId: queued, actor: publisher });
    await writeCampaignLedger(ctx, { campaignId: queued });
    expect(await ledgerCounts(ctx.db, queued)).toEqual({});
    expect((await campaignStatus(ctx.db, queued)).status).toBe('cancelled');
  });
});
