import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { AppError, validation } from '../../platform/errors.ts';
import { utcToZonedTime, zonedTimeToUtc } from '../../publishing/editorial/shared/zoned-time.ts';
import { PUBLICATION_TIME_ZONE } from '../../publishing/format.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { campaignTopicIds, getCampaign } from './campaign-queries.ts';
import { campaignAudit, wrongState } from './campaign-rules.ts';
import { findPublishedSource } from './campaign-sources.ts';

/** Campaigns are scheduled on the office's wall clock (Washington, DC). */
export const SCHEDULE_TIME_ZONE = PUBLICATION_TIME_ZONE;

/** The furthest ahead a campaign may be scheduled. */
const MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

export interface ScheduleForm {
  /** YYYY-MM-DD in SCHEDULE_TIME_ZONE. */
  date: string;
  /** HH:MM (24-hour) in SCHEDULE_TIME_ZONE. */
  time: string;
}

/**
 * Refuses to schedule or send a campaign that has nobody to go to or nothing to say: no audience
 * topics, or a source that was unpublished since the draft was made (a digest's month is always there).
 */
export async function assertSendable(ctx: AppContext, campaign: Campaign): Promise<void> {
  if (campaignTopicIds(campaign).length === 0) {
    throw validation({ topics: 'Choose at least one topic and save the draft: its subscribers are the campaign’s audience.' });
  }
  if (campaign.source_type === 'month') return;
  const source = await findPublishedSource(ctx, campaign.source_type, campaign.source_id);
  if (!source) {
    throw new AppError('CONFLICT', `The ${campaign.source_type} this campaign is about is no longer published, so it cannot be sent.`);
  }
}

function readSchedule(form: ScheduleForm, campaign: Campaign, now: Date, eventStartsAt: string | undefined): Date {
  const fields: Record<string, string> = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date.trim())) fields.scheduleDate = 'Enter the date as YYYY-MM-DD, like 2024-01-22.';
  if (!/^\d{2}:\d{2}$/.test(form.time.trim())) fields.scheduleTime = 'Enter the time as HH:MM on a 24-hour clock, like 09:00.';
  if (Object.keys(fields).length > 0) throw validation(fields);
  const at = zonedTimeToUtc(form.date.trim(), form.time.trim(), SCHEDULE_TIME_ZONE);
  if (!at) throw validation({ scheduleDate: 'That date does not exist. Check the day and month.' });
  if (at.getTime() <= now.getTime()) throw validation({ scheduleDate: 'Choose a time in the future. To send at once, use “Send now”.' });
  if (at.getTime() - now.getTime() > MAX_AHEAD_MS) throw validation({ scheduleDate: 'Choose a time within the next year.' });
  if (campaign.kind === 'reminder' && eventStartsAt && at.getTime() >= new Date(eventStartsAt).getTime()) {
    throw validation({ scheduleDate: 'Choose a time before the event starts: a reminder after it would be no use.' });
  }
  return at;
}

/** draft → scheduled for a date and time (Eastern). The scheduler starts it when it comes due. */
export async function scheduleCampaign(
  ctx: AppContext,
  options: { campaignId: number; when: ScheduleForm; actor: StaffActor },
): Promise<{ scheduledFor: string }> {
  const campaign = await getCampaign(ctx, options.campaignId);
  if (campaign.status !== 'draft') throw wrongState(campaign, 'scheduled');
  await assertSendable(ctx, campaign);
  const source = campaign.source_type === 'event' ? await findPublishedSource(ctx, 'event', campaign.source_id) : undefined;
  const scheduledFor = iso(readSchedule(options.when, campaign, ctx.clock.now(), source?.startsAt));
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'scheduled', scheduled_for: scheduledFor, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', campaign.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw wrongState(await getCampaign(ctx, campaign.id), 'scheduled');
  await ctx.audit.record({
    action: 'campaign.scheduled',
    ...campaignAudit(options.actor, campaign.id),
    details: { scheduledFor, timeZone: SCHEDULE_TIME_ZONE },
  });
  return { scheduledFor };
}

/**
 * What the schedule form starts with: for an event reminder the day before the event at the same
 * time (when that is still ahead), otherwise 09:00 on a date the publisher picks.
 */
export async function suggestedSchedule(ctx: AppContext, campaign: Campaign): Promise<ScheduleForm> {
  if (campaign.kind === 'reminder') {
    const event = await findPublishedSource(ctx, 'event', campaign.source_id);
    const dayBefore = event?.startsAt ? new Date(new Date(event.startsAt).getTime() - 24 * 60 * 60 * 1000) : undefined;
    if (dayBefore && dayBefore.getTime() > ctx.clock.now().getTime()) {
      const wall = utcToZonedTime(dayBefore, SCHEDULE_TIME_ZONE);
      return { date: wall.date, time: wall.time.slice(0, 5) };
    }
  }
  return { date: '', time: '09:00' };
}
