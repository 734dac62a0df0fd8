import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { actorColumn, campaignAudit, MAX_SUBJECT_LENGTH } from './campaign-rules.ts';
import { defaultTopicIds, findPublishedSource, type PublishedSource } from './campaign-sources.ts';

/** The form field each kind of new campaign is chosen in (and its errors are reported on). */
export const SOURCE_FIELDS = { bulletin: 'bulletinSource', reminder: 'reminderSource' } as const;

export type NewCampaignKind = keyof typeof SOURCE_FIELDS;

const SOURCE_TYPES: Record<NewCampaignKind, readonly PublishedSource['type'][]> = { bulletin: ['article', 'issue'], reminder: ['event'] };

/** What the "new campaign" forms post: "article:<id>" or "issue:<id>" for a bulletin, "event:<id>" for a reminder. */
export function parseSourceValue(kind: NewCampaignKind, value: string | undefined): { type: PublishedSource['type']; id: string } | null {
  const match = /^(article|issue|event):([A-Za-z0-9_-]{1,100})$/.exec(value ?? '');
  const type = match?.[1] as PublishedSource['type'] | undefined;
  return match && type && SOURCE_TYPES[kind].includes(type) ? { type, id: match[2] as string } : null;
}

function defaultSubject(source: PublishedSource, siteName: string): string {
  const subject =
    source.type === 'event' ? `Reminder: ${source.title}` : source.type === 'issue' ? `${siteName}: ${source.title}` : source.title;
  return subject.length > MAX_SUBJECT_LENGTH ? `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…` : subject;
}

/**
 * A draft campaign from a published source: a bulletin for an article or an issue, an event
 * reminder for an upcoming event. The audience starts as the topics the source belongs to (see
 * defaultTopicIds); the publisher reviews it, and everything else, before anything is sent.
 * Returns the new campaign's id.
 */
export async function createCampaign(
  ctx: AppContext,
  options: { kind: NewCampaignKind; source: string | undefined; actor: StaffActor },
): Promise<number> {
  const field = SOURCE_FIELDS[options.kind];
  const parsed = parseSourceValue(options.kind, options.source);
  if (!parsed) {
    throw validation({ [field]: options.kind === 'bulletin' ? 'Choose a published issue or article.' : 'Choose an upcoming event.' });
  }
  const source = await findPublishedSource(ctx, parsed.type, parsed.id);
  if (!source) {
    throw validation({ [field]: 'That is not published (any more). Choose a published item from the list.' });
  }
  const now = ctx.clock.now();
  if (source.type === 'event' && source.startsAt && new Date(source.startsAt).getTime() <= now.getTime()) {
    throw validation({ [field]: 'That event has already started. A reminder is only for an upcoming event.' });
  }
  const topicIds = await defaultTopicIds(ctx, source);
  const kind = options.kind;
  const at = iso(now);
  const row = await ctx.db
    .insertInto('delivery_campaigns')
    .values({
      kind,
      source_type: source.type,
      source_id: source.id,
      subject: defaultSubject(source, (await getSiteSettings(ctx.db)).siteName),
      topic_ids: JSON.stringify(topicIds),
      audience_frequency: 'every',
      status: 'draft',
      scheduled_for: null,
      paused_reason: null,
      compiled_html: null,
      compiled_text: null,
      created_by: actorColumn(options.actor),
      started_by: null,
      created_at: at,
      updated_at: at,
      queued_at: null,
      started_at: null,
      finished_at: null,
      cancelled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.audit.record({
    action: 'campaign.created',
    ...campaignAudit(options.actor, row.id),
    details: { kind, source: `${source.type}:${source.id}`, topics: topicIds.length },
  });
  return row.id;
}
