import type { DeliveryFrequency, SubscriberStatus, SuppressionReason, TopicVisibility } from '../../platform/db/schema.ts';

// Words for the stored codes, as staff read them on the admin pages.

export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed'];

export const STATUS_LABELS: Record<SubscriberStatus, string> = {
  pending: 'Pending',
  active: 'Active',
  paused: 'Paused',
  unsubscribed: 'Unsubscribed',
};

/** What each status means for the person, in a sentence. */
export const STATUS_MEANINGS: Record<SubscriberStatus, string> = {
  pending: 'Pending: asked to subscribe (or was imported) but has not confirmed yet, so gets no bulletins.',
  active: 'Active: confirmed, and gets the bulletins of their topics.',
  paused: 'Paused: keeps their topics but gets nothing until they resume.',
  unsubscribed: 'Unsubscribed: gets nothing. Their topics are kept for their history and the counts.',
};

export const VISIBILITY_LABELS: Record<TopicVisibility, string> = {
  public: 'Public — listed on the subscribe page',
  private: 'Private — staff and imports only',
};

export const DELIVERY_LABELS: Record<DeliveryFrequency, string> = {
  every: 'Every bulletin',
  digest: 'Monthly digest',
};

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['deleted', 'hard_bounce', 'complaint', 'manual'];

export const SUPPRESSION_LABELS: Record<SuppressionReason, string> = {
  deleted: 'Deleted at the person’s request',
  hard_bounce: 'Hard bounce',
  complaint: 'Spam complaint',
  manual: 'Suppressed by staff',
};
