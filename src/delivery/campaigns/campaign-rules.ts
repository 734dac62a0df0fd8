import type { Campaign, CampaignKind, CampaignStatus } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { auditFieldsOf, type StaffActor } from '../../subscriptions/staff-actor.ts';

// The rules every campaign use-case shares: words for states, who created it, and the refusals.

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  queued: 'Starting',
  sending: 'Sending',
  paused: 'Paused',
  finished: 'Sent',
  cancelled: 'Cancelled',
};

export const KIND_LABELS: Record<CampaignKind, string> = {
  bulletin: 'Bulletin',
  digest: 'Monthly digest',
  reminder: 'Event reminder',
};

/** Longest subject a publisher may write; mailbox providers cut far shorter ones in their lists. */
export const MAX_SUBJECT_LENGTH = 200;

/** A scheduled campaign this late is not started by the scheduler: a person confirms it first. */
export const OVERDUE_AFTER_MS = 60 * 60 * 1000;

/** The automatic digest and the scheduler act as the system in the audit log and in started_by. */
export const systemActor: StaffActor = { userId: null, email: 'system' };

/** What the campaign's created_by / started_by column records for an actor: the user id, or "cli"/"system". */
export function actorColumn(actor: StaffActor): string {
  return actor.userId ?? actor.email;
}

/** The audit fields of a campaign change. */
export function campaignAudit(actor: StaffActor, campaignId: number) {
  return { ...auditFieldsOf(actor), subjectType: 'campaign', subjectId: String(campaignId) };
}

/** Whether a scheduled campaign has waited too long to be sent without a person confirming it. */
export function isOverdue(campaign: Pick<Campaign, 'status' | 'scheduled_for'>, now: Date): boolean {
  return (
    campaign.status === 'scheduled' &&
    campaign.scheduled_for !== null &&
    now.getTime() - new Date(campaign.scheduled_for).getTime() > OVERDUE_AFTER_MS
  );
}

/** A 409 naming what the campaign is now, for an action its state does not allow. */
export function wrongState(campaign: Pick<Campaign, 'status'>, action: string): AppError {
  return new AppError('CONFLICT', `This campaign is ${STATUS_LABELS[campaign.status].toLowerCase()}, so it cannot be ${action}.`);
}
