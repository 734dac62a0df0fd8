import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { listTopics } from '../../subscriptions/topics.ts';
import { campaignTopicIds, getCampaign } from './campaign-queries.ts';
import { campaignAudit, MAX_SUBJECT_LENGTH, wrongState } from './campaign-rules.ts';

export interface DraftForm {
  subject: string;
  /** Subscription topic ids, as the checkboxes post them. */
  topicIds: string[];
  archived: boolean;
}

/** A subject line: present, one line, at most MAX_SUBJECT_LENGTH characters. Returns the message for a bad one. */
export function subjectProblem(subject: string): string | undefined {
  if (subject === '') return 'Enter a subject.';
  if (/[\r\n]/.test(subject)) return 'Write the subject on one line.';
  if (subject.length > MAX_SUBJECT_LENGTH) return `Use at most ${MAX_SUBJECT_LENGTH} characters for the subject.`;
  return undefined;
}

/**
 * Saves a draft's subject, audience topics and archive flag. Only a draft changes: once a campaign
 * is scheduled or sending, what the readers get is settled (unschedule it to edit it again). The
 * check and the write are one conditional UPDATE, so a send started meanwhile is never edited.
 * Returns the names of the fields that changed.
 */
export async function updateCampaignDraft(
  ctx: AppContext,
  options: { campaignId: number; form: DraftForm; actor: StaffActor },
): Promise<string[]> {
  const campaign = await getCampaign(ctx, options.campaignId);
  if (campaign.status !== 'draft') throw wrongState(campaign, 'edited');

  const subject = options.form.subject.trim().replace(/\s+/g, ' ');
  const fields: Record<string, string> = {};
  const subjectError = subjectProblem(options.form.subject.trim());
  if (subjectError) fields.subject = subjectError;
  const known = await listTopics(ctx.db, { audience: 'staff' });
  const chosen = new Set(options.form.topicIds);
  // Stored in the staff's topic order, so the same choice always reads the same.
  const topicIds = known.filter((t) => chosen.has(t.id)).map((t) => t.id);
  if (topicIds.length !== chosen.size) fields.topics = 'One of the chosen topics no longer exists. Choose again from the list.';
  else if (topicIds.length === 0) fields.topics = 'Choose at least one topic: its subscribers are the campaign’s audience.';
  if (Object.keys(fields).length > 0) throw validation(fields);

  const values = { subject, topic_ids: JSON.stringify(topicIds), archived: options.form.archived ? 1 : 0 };
  const changed = (Object.keys(values) as (keyof typeof values)[]).filter((key) => values[key] !== campaign[key]);
  if (changed.length === 0) return [];
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ ...values, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', campaign.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw wrongState(await getCampaign(ctx, campaign.id), 'edited');
  await ctx.audit.record({
    action: 'campaign.edited',
    ...campaignAudit(options.actor, campaign.id),
    details: { changed, topics: topicIds.length, previousTopics: campaignTopicIds(campaign).length },
  });
  return changed;
}
