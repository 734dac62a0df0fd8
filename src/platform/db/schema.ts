import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types: the contract between the migrations and the code. Timestamps are ISO-8601 UTC text
// on both engines; booleans are 0/1 integers on both, so rows look the same whichever engine runs.

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: string | null;
  actor: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip_hash: string | null;
  details: string;
}

export type StaffRole = 'admin' | 'editor' | 'publisher';
export type UserStatus = 'invited' | 'active' | 'disabled';

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  staff_role: StaffRole | null;
  status: UserStatus;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
}
export type User = Selectable<UsersTable>;

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  second_factor_verified: number;
  awaiting_second_factor: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
}

export type AuthTokenPurpose = 'setup' | 'recovery';

export interface AuthTokensTable {
  token_hash: string;
  purpose: AuthTokenPurpose;
  user_id: string | null;
  staff_role: StaffRole | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  resets_at: string;
}

export type OrganisationKind = 'school_district' | 'law_enforcement' | 'other';
export type MembershipRole = 'owner' | 'editor' | 'signatory' | 'viewer';

export interface OrganisationsTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  created_at: string;
}

export interface MembershipsTable {
  organisation_id: string;
  user_id: string;
  role: MembershipRole;
  created_at: string;
}

export interface DevMailTable {
  id: Generated<number>;
  created_at: string;
  sender: string;
  recipients: string;
  subject: string;
  raw: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: Generated<number>;
  name: string;
  payload: Generated<string>;
  status: JobStatus;
  run_at: string;
  attempts: Generated<number>;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  unique_key: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface JobSchedulesTable {
  name: string;
  cron: string;
  time_zone: string;
  next_run_at: string;
  updated_at: string;
}

export type ArticleStatus = 'draft' | 'in_review' | 'scheduled' | 'published';
export type EventKind = 'x_chat' | 'webinar' | 'in_person';
export type ResourceKind = 'publication' | 'toolkit' | 'video' | 'webinar' | 'website' | 'other';
export type ContactStatus = 'new' | 'answered' | 'archived';

export interface PublishingTopicsTable {
  id: string;
  slug: string;
  name: string;
  description: Generated<string>;
  created_at: string;
}

export interface PublishingIssuesTable {
  id: string;
  volume: number;
  number: number;
  month: string;
  status: 'draft' | 'published';
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PublishingArticlesTable {
  id: string;
  issue_id: string | null;
  position: Generated<number>;
  slug: string;
  title: string;
  summary: string;
  body_markdown: string;
  authors: Generated<string>;
  image_upload_id: string | null;
  image_alt: string | null;
  additional_resources: Generated<string>;
  show_disclaimer: Generated<number>;
  status: ArticleStatus;
  scheduled_for: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PublishingArticleRevisionsTable {
  id: Generated<number>;
  article_id: string;
  created_at: string;
  author_user_id: string | null;
  author: string;
  change: string;
  snapshot: string;
}

export interface PublishingArticleTopicsTable {
  article_id: string;
  topic_id: string;
}

export interface PublishingEventsTable {
  id: string;
  article_id: string | null;
  slug: string;
  title: string;
  kind: EventKind;
  starts_at: string;
  time_zone: string;
  duration_minutes: number;
  hashtag: string | null;
  hosts: Generated<string>;
  join_url: string | null;
  location: string | null;
  description: string;
  recap_markdown: string | null;
  recording_url: string | null;
  status: 'draft' | 'published';
  created_at: string;
  updated_at: string;
}

export interface PublishingEventTopicsTable {
  event_id: string;
  topic_id: string;
}

export interface PublishingResourcesTable {
  id: string;
  title: string;
  url: string;
  publisher: Generated<string>;
  kind: ResourceKind;
  description: Generated<string>;
  status: 'draft' | 'published';
  created_at: string;
  updated_at: string;
}

export interface PublishingResourceTopicsTable {
  resource_id: string;
  topic_id: string;
}

export interface PublishingUploadsTable {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  original_name: string;
  uploaded_by: string | null;
  created_at: string;
}

export interface PublishingContactMessagesTable {
  id: Generated<number>;
  created_at: string;
  name: Generated<string>;
  email: string;
  subject: string;
  message: string;
  status: ContactStatus;
  updated_at: string;
}

export interface ContentVersionTable {
  id: number;
  version: number;
}

export type TopicFrequency = 'as_published' | 'weekly' | 'monthly' | 'quarterly';
export type TopicVisibility = 'public' | 'private';
export type SubscriberStatus = 'pending' | 'active' | 'paused' | 'unsubscribed';
export type DeliveryFrequency = 'every' | 'digest';
export type SuppressionReason = 'deleted' | 'hard_bounce' | 'complaint' | 'manual';
export type SubscriberAccessPurpose = 'sign_in' | 'session';
export type SubscriberImportStatus = 'validating' | 'ready' | 'importing' | 'imported' | 'discarded' | 'failed';

export interface SubscriptionTopicsTable {
  id: string;
  slug: string;
  name: string;
  description: Generated<string>;
  frequency: TopicFrequency;
  visibility: TopicVisibility;
  position: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type SubscriptionTopic = Selectable<SubscriptionTopicsTable>;

export interface SubscribersTable {
  id: string;
  email: string;
  status: SubscriberStatus;
  consent_at: string | null;
  consent_source: string;
  consent_ip_hash: string | null;
  consent_user_agent: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}
export type Subscriber = Selectable<SubscribersTable>;

export interface SubscriptionsTable {
  subscriber_id: string;
  topic_id: string;
  frequency: DeliveryFrequency;
  created_at: string;
}

export interface SubscriptionRequestsTable {
  id: string;
  email: string;
  topic_ids: string;
  source: string;
  ip_hash: string | null;
  user_agent: string | null;
  created_at: string;
  processed_at: string | null;
  token_hash: string | null;
  expires_at: string | null;
}

export interface SubscriberAccessTokensTable {
  token_hash: string;
  subscriber_id: string;
  purpose: SubscriberAccessPurpose;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SubscriberEventsTable {
  id: Generated<number>;
  subscriber_id: string;
  at: string;
  kind: string;
  actor: string;
  details: Generated<string>;
}

export interface SubscriberSuppressionsTable {
  email_hash: string;
  reason: SuppressionReason;
  created_at: string;
}

export interface SubscriptionCountsTable {
  topic_id: string;
  status: SubscriberStatus;
  subscribers: number;
}

export interface SubscriptionGrowthTable {
  month: string;
  confirmed: number;
  unsubscribed: number;
}

export interface SubscriberImportsTable {
  id: string;
  file_name: string;
  status: SubscriberImportStatus;
  total_rows: Generated<number>;
  valid_rows: Generated<number>;
  rejected_rows: Generated<number>;
  imported_rows: Generated<number>;
  updated_rows: Generated<number>;
  skipped_rows: Generated<number>;
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface SubscriberImportRowsTable {
  import_id: string;
  line: number;
  subscriber_id: string;
  email: string;
  email_hash: string;
  topic_ids: string;
  consent_at: string | null;
  source: string;
}

export interface SubscriberImportRejectionsTable {
  import_id: string;
  line: number;
  reason: string;
}

export type CampaignKind = 'bulletin' | 'digest' | 'reminder';
export type CampaignSourceType = 'article' | 'issue' | 'event' | 'month';
export type CampaignStatus = 'draft' | 'scheduled' | 'queued' | 'sending' | 'paused' | 'finished' | 'cancelled';
export type RecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type BounceKind = 'hard' | 'soft' | 'complaint';
export type BounceSource = 'smtp' | 'mailbox' | 'webhook';

export interface DeliveryCampaignsTable {
  id: Generated<number>;
  kind: CampaignKind;
  source_type: CampaignSourceType;
  source_id: string;
  subject: string;
  /** JSON array of subscription topic ids. */
  topic_ids: string;
  audience_frequency: DeliveryFrequency;
  status: CampaignStatus;
  scheduled_for: string | null;
  paused_reason: string | null;
  compiled_html: string | null;
  compiled_text: string | null;
  archived: Generated<number>;
  recipients: Generated<number>;
  created_by: string;
  started_by: string | null;
  created_at: string;
  updated_at: string;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  cancelled_at: string | null;
}
export type Campaign = Selectable<DeliveryCampaignsTable>;

export interface DeliveryRecipientsTable {
  campaign_id: number;
  subscriber_id: string;
  topic_id: string;
  status: RecipientStatus;
  due_at: string;
  attempts: Generated<number>;
  lease_owner: string | null;
  sent_at: string | null;
  last_error: string | null;
}

export interface DeliveryBouncesTable {
  id: Generated<number>;
  campaign_id: number | null;
  subscriber_id: string | null;
  kind: BounceKind;
  source: BounceSource;
  status_code: string | null;
  diagnostic: Generated<string>;
  received_at: string;
}

export interface Database {
  settings: SettingsTable;
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  rate_limits: RateLimitsTable;
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  dev_mail: DevMailTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  content_version: ContentVersionTable;
  publishing_topics: PublishingTopicsTable;
  publishing_issues: PublishingIssuesTable;
  publishing_articles: PublishingArticlesTable;
  publishing_article_revisions: PublishingArticleRevisionsTable;
  publishing_article_topics: PublishingArticleTopicsTable;
  publishing_events: PublishingEventsTable;
  publishing_event_topics: PublishingEventTopicsTable;
  publishing_resources: PublishingResourcesTable;
  publishing_resource_topics: PublishingResourceTopicsTable;
  publishing_uploads: PublishingUploadsTable;
  publishing_contact_messages: PublishingContactMessagesTable;
  subscription_topics: SubscriptionTopicsTable;
  subscribers: SubscribersTable;
  subscriptions: SubscriptionsTable;
  subscription_requests: SubscriptionRequestsTable;
  subscriber_access_tokens: SubscriberAccessTokensTable;
  subscriber_events: SubscriberEventsTable;
  subscriber_suppressions: SubscriberSuppressionsTable;
  subscription_counts: SubscriptionCountsTable;
  subscription_growth: SubscriptionGrowthTable;
  subscriber_imports: SubscriberImportsTable;
  subscriber_import_rows: SubscriberImportRowsTable;
  subscriber_import_rejections: SubscriberImportRejectionsTable;
  delivery_campaigns: DeliveryCampaignsTable;
  delivery_recipients: DeliveryRecipientsTable;
  delivery_bounces: DeliveryBouncesTable;
}

export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
