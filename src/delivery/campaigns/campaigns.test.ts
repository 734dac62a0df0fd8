import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { cliActor, type StaffActor } from '../../subscriptions/staff-actor.ts';
import { campaignTopicIds, getCampaign, listCampaigns } from './campaign-queries.ts';
import { campaignReport } from './campaign-report.ts';
import { countEligibleRecipients } from './count-eligible-recipients.ts';
import { createCampaign } from './create-campaign.ts';
import { createMonthlyDigest, previousMonth } from './create-monthly-digest.ts';
import { scheduleCampaign, suggestedSchedule } from './schedule-campaign.ts';
import { sendCampaign } from './send-campaign.ts';
import { parseTestAddresses } from './send-test-messages.ts';
import { startDueCampaigns } from './start-due-campaigns.ts';
import { addLedgerRow, addSubscriber, campaignTestApp, DEMO, DEMO_NOW, topicIdsBySlug } from './test-support.ts';
import { unscheduleCampaign } from './unschedule-campaign.ts';
import { updateCampaignDraft } from './update-campaign-draft.ts';

const actor: StaffActor = { userId: 'user-1', email: 'publisher@example.gov', ip: '192.0.2.1' };

/** The AppError a promise rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function slugsOf(ctx: AppContext, campaignId: number): Promise<string[]> {
  const bySlug = await topicIdsBySlug(ctx.db);
  const slugs = Object.fromEntries(Object.entries(bySlug).map(([slug, id]) => [id, slug]));
  return campaignTopicIds(await getCampaign(ctx, campaignId)).map((id) => slugs[id] ?? id);
}

async function campaignCount(ctx: AppContext) {
  const row = await ctx.db
    .selectFrom('delivery_campaigns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase('campaigns: drafts, schedules and the scheduler', ({ handle }) => {
  it('creates drafts from a published article, issue and upcoming event with the default audiences', async () => {
    const { ctx, ids } = await campaignTestApp(handle());

    const fromArticle = await createCampaign(ctx, { kind: 'bulletin', source: `article:${ids.article}`, actor });
    const article = await getCampaign(ctx, fromArticle);
    expect(article).toMatchObject({
      kind: 'bulletin',
      source_type: 'article',
      source_id: ids.article,
      subject: 'Join an X Chat on Building a Strong School Resource Officer MOU',
      audience_frequency: 'every',
      status: 'draft',
      archived: 1,
      created_by: 'user-1',
      compiled_html: null,
    });
    // The article's publishing topics are school-safety and partnerships; only school-safety has a
    // subscription topic, and the article is in a published issue, so the Dispatch's readers too.
    expect((await slugsOf(ctx, fromArticle)).sort()).toEqual(['dispatch', 'school-safety']);

    const fromIssue = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor });
    expect(await getCampaign(ctx, fromIssue)).toMatchObject({
      kind: 'bulletin',
      source_type: 'issue',
      subject: 'Community Policing Dispatch: Volume 17, Issue 1 (January 2024)',
    });
    expect(await slugsOf(ctx, fromIssue)).toEqual(['dispatch']);

    const reminder = await createCampaign(ctx, { kind: 'reminder', source: `event:${ids.event}`, actor: cliActor });
    expect(await getCampaign(ctx, reminder)).toMatchObject({
      kind: 'reminder',
      source_type: 'event',
      created_by: 'cli',
      audience_frequency: 'every',
    });
    expect((await getCampaign(ctx, reminder)).subject).toBe(
      'Reminder: #REMSChatWithAnExpert: Developing and Updating School Resource Officer MOUs',
    );
    expect((await slugsOf(ctx, reminder)).sort()).toEqual(['events', 'school-safety']);

    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'campaign.created').execute();
    expect(audit.map((a) => a.subject_id).sort()).toEqual([fromArticle, fromIssue, reminder].map(String).sort());
  });

  it('refuses unpublished, unknown, mismatched and past sources, writing nothing', async () => {
    const { ctx, ids, clock } = await campaignTestApp(handle());
    await ctx.db.updateTable('publishing_articles').set({ status: 'draft' }).where('id', '=', ids.article).execute();

    expect((await refusal(createCampaign(ctx, { kind: 'bulletin', source: `article:${ids.article}`, actor }))).fields).toEqual({
      bulletinSource: 'That is not published (any more). Choose a published item from the list.',
    });
    expect((await refusal(createCampaign(ctx, { kind: 'bulletin', source: 'issue:nope', actor }))).fields).toHaveProperty('bulletinSource');
    expect((await refusal(createCampaign(ctx, { kind: 'bulletin', source: `event:${ids.event}`, actor }))).fields).toEqual({
      bulletinSource: 'Choose a published issue or article.',
    });
    expect((await refusal(createCampaign(ctx, { kind: 'reminder', source: undefined, actor }))).fields).toEqual({
      reminderSource: 'Choose an upcoming event.',
    });
    clock.set(new Date(DEMO.eventStartsAt));
    expect((await refusal(createCampaign(ctx, { kind: 'reminder', source: `event:${ids.event}`, actor }))).fields.reminderSource).toMatch(
      /already started/,
    );
    expect(await campaignCount(ctx)).toBe(0);
  });

  it('edits only drafts: subject, topics and the archive flag, each checked, all or nothing', async () => {
    const { ctx, ids } = await campaignTestApp(handle());
    const topics = await topicIdsBySlug(ctx.db);
    const id = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor });

    const changed = await updateCampaignDraft(ctx, {
      campaignId: id,
      form: { subject: '  January:   the SRO issue ', topicIds: [topics.grants!, topics.dispatch!], archived: false },
      actor,
    });
    expect(changed.sort()).toEqual(['archived', 'subject', 'topic_ids']);
    const saved = await getCampaign(ctx, id);
    expect(saved.subject).toBe('January: the SRO issue');
    expect(saved.archived).toBe(0);
    // Stored in the staff's topic order whatever order the form posted.
    expect(await slugsOf(ctx, id)).toEqual(['dispatch', 'grants']);
    expect(
      await updateCampaignDraft(ctx, {
        campaignId: id,
        form: { subject: 'January: the SRO issue', topicIds: [topics.dispatch!, topics.grants!], archived: false },
        actor,
      }),
    ).toEqual([]);

    const bad = await refusal(updateCampaignDraft(ctx, { campaignId: id, form: { subject: '', topicIds: [], archived: true }, actor }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.fields).toEqual({
      subject: 'Enter a subject.',
      topics: 'Choose at least one topic: its subscribers are the campaign’s audience.',
    });
    const unknown = await refusal(
      updateCampaignDraft(ctx, { campaignId: id, form: { subject: 'x'.repeat(201), topicIds: ['no-such-topic'], archived: true }, actor }),
    );
    expect(Object.keys(unknown.fields).sort()).toEqual(['subject', 'topics']);
    expect((await getCampaign(ctx, id)).subject).toBe('January: the SRO issue');

    await scheduleCampaign(ctx, { campaignId: id, when: { date: '2024-01-11', time: '09:00' }, actor });
    const locked = await refusal(
      updateCampaignDraft(ctx, { campaignId: id, form: { subject: 'Changed', topicIds: [topics.dispatch!], archived: true }, actor }),
    );
    expect(locked.code).toBe('CONFLICT');
    expect(locked.message).toBe('This campaign is scheduled, so it cannot be edited.');
    expect((await getCampaign(ctx, id)).subject).toBe('January: the SRO issue');
  });

  it('schedules on the Eastern wall clock, validates the time, and unschedules back to a draft', async () => {
    const { ctx, ids } = await campaignTestApp(handle());
    const id = await createCampaign(ctx, { kind: 'reminder', source: `event:${ids.event}`, actor });
    // The event starts 2024-01-22 at 11:00 Eastern: the form suggests the day before, same time.
    expect(await suggestedSchedule(ctx, await getCampaign(ctx, id))).toEqual({ date: '2024-01-21', time: '11:00' });
    const bulletin = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor });
    expect(await suggestedSchedule(ctx, await getCampaign(ctx, bulletin))).toEqual({ date: '', time: '09:00' });

    const field = async (date: string, time: string) =>
      (await refusal(scheduleCampaign(ctx, { campaignId: id, when: { date, time }, actor }))).fields;
    expect(await field('21/01/2024', '9am')).toEqual({
      scheduleDate: 'Enter the date as YYYY-MM-DD, like 2024-01-22.',
      scheduleTime: 'Enter the time as HH:MM on a 24-hour clock, like 09:00.',
    });
    expect(await field('2024-02-30', '09:00')).toEqual({ scheduleDate: 'That date does not exist. Check the day and month.' });
    expect(await field('2024-01-10', '09:00')).toEqual({ scheduleDate: 'Choose a time in the future. To send at once, use “Send now”.' });
    expect(await field('2025-06-01', '09:00')).toEqual({ scheduleDate: 'Choose a time within the next year.' });
    // The event starts 2024-01-22 at 11:00 Eastern: a reminder at or after that is refused.
    expect(await field('2024-01-22', '11:00')).toEqual({
      scheduleDate: 'Choose a time before the event starts: a reminder after it would be no use.',
    });
    expect((await getCampaign(ctx, id)).status).toBe('draft');

    // 09:00 in New York in January is 14:00 UTC.
    expect(await scheduleCampaign(ctx, { campaignId: id, when: { date: '2024-01-21', time: '09:00' }, actor })).toEqual({
      scheduledFor: '2024-01-21T14:00:00.000Z',
    });
    expect(await getCampaign(ctx, id)).toMatchObject({ status: 'scheduled', scheduled_for: '2024-01-21T14:00:00.000Z' });
    expect((await refusal(scheduleCampaign(ctx, { campaignId: id, when: { date: '2024-01-21', time: '10:00' }, actor }))).code).toBe(
      'CONFLICT',
    );

    await unscheduleCampaign(ctx, { campaignId: id, actor });
    expect(await getCampaign(ctx, id)).toMatchObject({ status: 'draft', scheduled_for: null });
    expect((await refusal(unscheduleCampaign(ctx, { campaignId: id, actor }))).code).toBe('CONFLICT');

    // No audience, no schedule.
    await ctx.db.updateTable('delivery_campaigns').set({ topic_ids: '[]' }).where('id', '=', id).execute();
    expect(await field('2024-01-21', '09:00')).toHaveProperty('topics');
    const actions = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'campaign.%sched%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['campaign.scheduled', 'campaign.unscheduled']);
  });

  it('starts due campaigns once, leaves future ones, and leaves one more than an hour overdue for a person', async () => {
    const { ctx, ids, clock } = await campaignTestApp(handle());
    const make = async (date: string, time: string) => {
      const id = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor });
      await scheduleCampaign(ctx, { campaignId: id, when: { date, time }, actor });
      return id;
    };
    // Now is 2024-01-10 10:00 Eastern.
    const early = await make('2024-01-10', '10:30');
    const onTime = await make('2024-01-10', '11:30');
    const later = await make('2024-01-11', '09:00');

    clock.set(new Date('2024-01-10T16:31:00.000Z')); // 11:31 Eastern: early is 61 minutes late, onTime one minute
    const first = await startDueCampaigns(ctx);
    expect(first).toEqual({ started: [onTime], overdue: [early], refused: [] });
    expect((await getCampaign(ctx, onTime)).status).toBe('queued');
    expect((await getCampaign(ctx, onTime)).started_by).toBe('system');
    expect((await getCampaign(ctx, early)).status).toBe('scheduled');
    expect((await getCampaign(ctx, later)).status).toBe('scheduled');

    // The next sweep finds nothing new to start; the overdue one still waits.
    expect(await startDueCampaigns(ctx)).toEqual({ started: [], overdue: [early], refused: [] });
    const jobs = await ctx.db.selectFrom('jobs').select('name').where('name', '=', 'delivery.start-campaign').execute();
    expect(jobs).toHaveLength(1);

    // A person confirms the overdue one.
    await sendCampaign(ctx, { campaignId: early, actor });
    expect((await getCampaign(ctx, early)).status).toBe('queued');
  });

  it('refuses a second send, and counts who is eligible', async () => {
    const { ctx, ids } = await campaignTestApp(handle());
    const topics = await topicIdsBySlug(ctx.db);
    await addSubscriber(ctx.db, { email: 'every@example.gov', topics: [{ id: topics.dispatch! }] });
    await addSubscriber(ctx.db, { email: 'both@example.gov', topics: [{ id: topics.dispatch! }, { id: topics['school-safety']! }] });
    await addSubscriber(ctx.db, { email: 'digest@example.gov', topics: [{ id: topics.dispatch!, frequency: 'digest' }] });
    await addSubscriber(ctx.db, { email: 'pending@example.gov', status: 'pending', topics: [{ id: topics.dispatch! }] });
    await addSubscriber(ctx.db, { email: 'paused@example.gov', status: 'paused', topics: [{ id: topics.dispatch! }] });
    await addSubscriber(ctx.db, { email: 'gone@example.gov', status: 'unsubscribed', topics: [{ id: topics.dispatch! }] });
    await addSubscriber(ctx.db, { email: 'grants@example.gov', topics: [{ id: topics.grants! }] });

    const id = await createCampaign(ctx, { kind: 'bulletin', source: `article:${ids.article}`, actor });
    expect(await countEligibleRecipients(ctx, await getCampaign(ctx, id))).toBe(2);

    await sendCampaign(ctx, { campaignId: id, actor });
    const again = await refusal(sendCampaign(ctx, { campaignId: id, actor }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toMatch(/already started/);
    const started = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'campaign.started').execute();
    expect(started).toHaveLength(1);
  });

  it('reports sent, failed, skipped, bounces, complaints and unsubscribes since the start', async () => {
    const { ctx, ids } = await campaignTestApp(handle());
    const topics = await topicIdsBySlug(ctx.db);
    const dispatch = topics.dispatch!;
    const id = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor });
    const startedAt = iso(DEMO_NOW);
    await ctx.db
      .updateTable('delivery_campaigns')
      .set({ status: 'finished', recipients: 6, started_at: startedAt, finished_at: startedAt })
      .where('id', '=', id)
      .execute();
    const people: string[] = [];
    for (let i = 0; i < 6; i++) people.push(await addSubscriber(ctx.db, { email: `r${i}@example.gov`, topics: [{ id: dispatch }] }));
    for (const [i, status] of (['sent', 'sent', 'sent', 'sent', 'failed', 'skipped'] as const).entries()) {
      await addLedgerRow(ctx.db, id, people[i]!, dispatch, status);
    }
    // r0 unsubscribed after the send, r1 before it (does not count), r5 was skipped (not sent to).
    const unsubscribe = (who: string, at: string) =>
      ctx.db.updateTable('subscribers').set({ status: 'unsubscribed', unsubscribed_at: at }).where('id', '=', who).execute();
    await unsubscribe(people[0]!, '2024-01-11T08:00:00.000Z');
    await unsubscribe(people[1]!, '2024-01-09T08:00:00.000Z');
    await unsubscribe(people[5]!, '2024-01-11T08:00:00.000Z');
    const bounce = (subscriber: string, kind: 'hard' | 'soft' | 'complaint') =>
      ctx.db
        .insertInto('delivery_bounces')
        .values({ campaign_id: id, subscriber_id: subscriber, kind, source: 'mailbox', status_code: null, received_at: startedAt })
        .execute();
    await bounce(people[2]!, 'hard');
    await bounce(people[3]!, 'soft');
    await bounce(people[3]!, 'soft');
    await bounce(people[0]!, 'complaint');

    const report = await campaignReport(ctx, { campaignId: id });
    expect(report.recipients).toBe(6);
    expect(report.counts).toEqual({ pending: 0, sending: 0, sent: 4, failed: 1, skipped: 1 });
    expect(report.bounces).toEqual({ hard: 1, soft: 1, complaint: 1 });
    expect(report.unsubscribedSince).toBe(1);

    const listing = await listCampaigns(ctx, { page: 1 });
    expect(listing.campaigns[0]?.counts.sent).toBe(4);
  });
});

describeEachDatabase('campaigns: the monthly digest', ({ handle }) => {
  it('is created and started once for the month before, to every public topic’s digest readers', async () => {
    // 09:00 Eastern on 1 February 2024: the digest of January, when the demo issue came out.
    const clock = new FixedClock(new Date('2024-02-01T14:00:00.000Z'));
    const { ctx } = await campaignTestApp(handle(), { clock });
    const first = await createMonthlyDigest(ctx);
    expect(first).toMatchObject({ outcome: 'started', month: '2024-01' });
    const digest = await getCampaign(ctx, (first as { campaignId: number }).campaignId);
    expect(digest).toMatchObject({
      kind: 'digest',
      source_type: 'month',
      source_id: '2024-01',
      audience_frequency: 'digest',
      status: 'queued',
      created_by: 'system',
      subject: 'Community Policing Dispatch: January 2024 in review',
    });
    const publicTopics = await ctx.db.selectFrom('subscription_topics').select('slug').where('visibility', '=', 'public').execute();
    expect((await slugsOf(ctx, digest.id)).sort()).toEqual(publicTopics.map((t) => t.slug).sort());
    expect(await slugsOf(ctx, digest.id)).not.toContain('editorial-partners');

    // Another run the same morning, or a retry: still one digest.
    clock.advance(60_000);
    expect(await createMonthlyDigest(ctx)).toEqual({ outcome: 'already-created', month: '2024-01', campaignId: digest.id });
    expect(await campaignCount(ctx)).toBe(1);

    // A digest left a draft by a crash between insert and start is started by the next run.
    await ctx.db.updateTable('delivery_campaigns').set({ status: 'draft' }).where('id', '=', digest.id).execute();
    expect(await createMonthlyDigest(ctx)).toEqual({ outcome: 'started', month: '2024-01', campaignId: digest.id });
    expect(await campaignCount(ctx)).toBe(1);
  });

  it('sends nothing for a month in which nothing was published', async () => {
    const clock = new FixedClock(new Date('2024-03-01T14:00:00.000Z'));
    const { ctx } = await campaignTestApp(handle(), { clock });
    expect(await createMonthlyDigest(ctx)).toEqual({ outcome: 'nothing-published', month: '2024-02' });
    expect(await campaignCount(ctx)).toBe(0);
  });

  it('takes the month from the office calendar', () => {
    // 03:00 UTC on 1 March is still 29 February in New York.
    expect(previousMonth(new Date('2024-03-01T03:00:00.000Z'))).toBe('2024-01');
    expect(previousMonth(new Date('2024-03-01T14:00:00.000Z'))).toBe('2024-02');
    expect(previousMonth(new Date('2024-01-01T14:00:00.000Z'))).toBe('2023-12');
  });
});

it('reads test addresses: one to five, checked, duplicates once', () => {
  expect(parseTestAddresses('a@example.gov, B@Example.gov;\nc@example.gov a@example.gov')).toEqual([
    'a@example.gov',
    'b@example.gov',
    'c@example.gov',
  ]);
  const problem = (text: string) => {
    try {
      parseTestAddresses(text);
    } catch (error) {
      return (error as AppError).fields.testAddresses;
    }
    throw new Error('expected a refusal');
  };
  expect(problem('  ')).toBe('Enter at least one e-mail address to send the test to.');
  expect(problem('1@x.gov 2@x.gov 3@x.gov 4@x.gov 5@x.gov 6@x.gov')).toMatch(/at most 5 addresses/);
  expect(problem('ok@example.gov, not-an-address')).toMatch(/^“not-an-address”: /);
});
