import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { enqueueJob } from '../../../platform/jobs/index.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import { EVENT_TIME_ZONES, zonedTimeToUtc } from '../shared/zoned-time.ts';
import { changeArticleState, STATE_WORDS } from './article-state.ts';
import { PUBLISH_SCHEDULED_JOB } from './publish-scheduled-article.ts';

/** The scheduling form: a date and time on the wall clock of a zone. */
export interface ScheduleForm {
  date: string;
  time: string;
  timeZone: string;
}

const MAX_AHEAD_MS = 2 * 365 * 24 * 60 * 60 * 1000;

function readSchedule(form: ScheduleForm, now: Date): Date {
  const errors = new FieldErrors();
  const zones: readonly string[] = EVENT_TIME_ZONES.map((z) => z.value);
  if (!zones.includes(form.timeZone)) errors.add('scheduleTimeZone', 'Choose a time zone from the list.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.add('scheduleDate', 'Enter the date as YYYY-MM-DD, like 2024-01-22.');
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(form.time)) errors.add('scheduleTime', 'Enter the time as HH:MM on a 24-hour clock, like 09:00.');
  errors.throwIfAny();
  const at = zonedTimeToUtc(form.date, form.time, form.timeZone);
  if (!at) errors.add('scheduleDate', 'That date does not exist. Check the day and month.');
  else if (at.getTime() <= now.getTime()) errors.add('scheduleDate', 'Choose a time in the future. To publish at once, use “Publish now”.');
  else if (at.getTime() - now.getTime() > MAX_AHEAD_MS) errors.add('scheduleDate', 'Choose a time within the next two years.');
  errors.throwIfAny();
  return at!;
}

/**
 * in review → scheduled, or a new time for a scheduled article. Publishers only. A job is queued
 * for the time; jobs queued for earlier times stay harmless (they publish only a due article).
 */
export async function scheduleArticle(
  ctx: AppContext,
  options: { articleId: string; actor: Actor; when: ScheduleForm },
): Promise<{ scheduledFor: string }> {
  let scheduledFor = '';
  await changeArticleState(ctx, {
    articleId: options.articleId,
    actor: options.actor,
    change: 'scheduled',
    from: ['in_review', 'scheduled'],
    to: 'scheduled',
    authorise: () => assertMayPublish(options.actor, 'Only a publisher can schedule an article.'),
    refusal: (a) =>
      a.status === 'draft'
        ? 'This article is a draft. Submit it for review before scheduling it.'
        : `Only an article in review can be scheduled. This article is ${STATE_WORDS[a.status]}.`,
    prepare: () => {
      scheduledFor = iso(readSchedule(options.when, ctx.clock.now()));
    },
    set: () => ({ scheduled_for: scheduledFor }),
    inTransaction: async (trx, article) => {
      // One job per article and time: rescheduling queues a new one rather than moving the old one.
      await enqueueJob(trx, ctx.clock, {
        name: PUBLISH_SCHEDULED_JOB,
        payload: { articleId: article.id },
        runAt: new Date(scheduledFor),
        uniqueKey: `publish-article:${article.id}:${scheduledFor}`,
      });
      return undefined;
    },
    details: { timeZone: options.when.timeZone },
  });
  return { scheduledFor };
}
