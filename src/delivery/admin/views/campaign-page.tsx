import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { Campaign, SubscriptionTopic } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { Checkbox, ErrorSummary, FieldFrame, PostForm, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { KIND_LABELS } from '../../campaigns/campaign-rules.ts';
import type { ProgressView } from '../../campaigns/progress-text.ts';
import type { ScheduleForm } from '../../campaigns/schedule-campaign.ts';
import { MAX_TEST_ADDRESSES } from '../../campaigns/send-test-messages.ts';
import type { DraftForm } from '../../campaigns/update-campaign-draft.ts';
import { ActionButton, audienceText, BackToCampaigns, campaignPath, Fact, Notice, StatusTag, When } from './parts.tsx';
import { ProgressPanel } from './progress-panel.tsx';

export interface CampaignPageProps {
  ctx: PageContext;
  campaign: Campaign;
  /** The article, issue or event on the public site; null when it was unpublished since. */
  source: { label: string; href: string } | null;
  /** Every subscription topic, for the audience checkboxes and names. */
  topics: SubscriptionTopic[];
  /** Set once the send has started. */
  progress: ProgressView | null;
  /** Scheduled, and more than an hour late: waiting for a person. */
  overdue: boolean;
  /** The edit form as posted (after an error) or as stored. */
  draft: DraftForm;
  schedule: ScheduleForm;
  testAddresses?: string | undefined;
  errors?: Record<string, string> | undefined;
  notice?: string | undefined;
  /** Now, as ISO text: makes the refresh link a new URL on every render. */
  renderedAt: string;
}

function TopicChoices(props: { topics: SubscriptionTopic[]; checked: string[]; error: string | undefined }) {
  const errorId = props.error ? 'field-topics-error' : undefined;
  return (
    <fieldset
      class={props.error ? 'usa-fieldset usa-form-group usa-form-group--error' : 'usa-fieldset usa-form-group'}
      id="field-topics"
      aria-describedby={['field-topics-hint', errorId].filter(Boolean).join(' ')}
    >
      <legend class="usa-legend">Topics</legend>
      <div class="usa-hint" id="field-topics-hint">
        Subscribers of any of these topics are the audience; each gets the campaign once.
      </div>
      {props.error ? (
        <span class="usa-error-message" id={errorId} role="alert">
          <span class="usa-sr-only">Error:</span> {props.error}
        </span>
      ) : null}
      {props.topics.map((topic) => (
        <div class="usa-checkbox">
          <input
            class="usa-checkbox__input"
            id={`topic-${topic.id}`}
            type="checkbox"
            name="topics"
            value={topic.id}
            checked={props.checked.includes(topic.id)}
          />
          <label class="usa-checkbox__label" for={`topic-${topic.id}`}>
            {topic.name}
            {topic.visibility === 'private' ? ' (private)' : ''}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

function DraftFormSection(props: {
  ctx: PageContext;
  campaign: Campaign;
  topics: SubscriptionTopic[];
  draft: DraftForm;
  errors: Record<string, string>;
}) {
  const { draft, errors } = props;
  return (
    <section aria-labelledby="edit-heading" class="margin-bottom-5">
      <h2 id="edit-heading">Subject and audience</h2>
      <PostForm action={campaignPath(props.campaign, '/update')} csrfToken={props.ctx.csrfToken} label="Subject and audience">
        <TextField name="subject" label="Subject" value={draft.subject} error={errors.subject} maxLength={200} />
        <TopicChoices topics={props.topics} checked={draft.topicIds} error={errors.topics} />
        <Checkbox
          name="archived"
          label="Show on the public archive"
          checked={draft.archived}
          hint="Once sent, the bulletin can be read on the site’s bulletin archive."
        />
        <button type="submit" class="usa-button margin-top-3">
          Save changes
        </button>
      </PostForm>
    </section>
  );
}

function TestSendSection(props: { ctx: PageContext; campaign: Campaign; addresses: string; error: string | undefined }) {
  return (
    <section aria-labelledby="test-heading" class="margin-bottom-5">
      <h2 id="test-heading">Send a test</h2>
      <PostForm action={campaignPath(props.campaign, '/test')} csrfToken={props.ctx.csrfToken} label="Send a test">
        <TextAreaField
          name="testAddresses"
          label="Send a test to"
          hint={`Up to ${MAX_TEST_ADDRESSES} e-mail addresses, one a line or separated by commas. The subject starts with “[Test]”.`}
          value={props.addresses}
          error={props.error}
          rows={3}
        />
        <button type="submit" class="usa-button usa-button--outline margin-top-2">
          Send test
        </button>
      </PostForm>
    </section>
  );
}

function ScheduleSection(props: { ctx: PageContext; campaign: Campaign; schedule: ScheduleForm; errors: Record<string, string> }) {
  const { schedule, errors } = props;
  const input = (name: 'scheduleDate' | 'scheduleTime', label: string, type: 'date' | 'time', hint: string, value: string) => (
    <FieldFrame id={`field-${name}`} label={label} hint={hint} error={errors[name]}>
      {(describedBy) => (
        <input
          class={errors[name] ? 'usa-input usa-input--error' : 'usa-input'}
          id={`field-${name}`}
          name={name}
          type={type}
          value={value}
          required
          aria-describedby={describedBy}
          aria-invalid={errors[name] ? 'true' : undefined}
        />
      )}
    </FieldFrame>
  );
  return (
    <section aria-labelledby="schedule-heading" class="margin-bottom-5">
      <h2 id="schedule-heading">Schedule</h2>
      <PostForm action={campaignPath(props.campaign, '/schedule')} csrfToken={props.ctx.csrfToken} label="Schedule">
        <fieldset class="usa-fieldset">
          <legend class="usa-legend">Send automatically at (Eastern time, America/New_York)</legend>
          {input('scheduleDate', 'Date', 'date', 'For example: 2024-01-21', schedule.date)}
          {input('scheduleTime', 'Time', 'time', '24-hour clock, for example 09:00', schedule.time)}
        </fieldset>
        <button type="submit" class="usa-button usa-button--outline margin-top-2">
          Schedule
        </button>
      </PostForm>
    </section>
  );
}

function Actions(props: { ctx: PageContext; campaign: Campaign }) {
  const { campaign, ctx } = props;
  const status = campaign.status;
  if (status === 'finished' || status === 'cancelled') return null;
  return (
    <section aria-labelledby="actions-heading" class="margin-bottom-5">
      <h2 id="actions-heading">{status === 'draft' || status === 'scheduled' ? 'Send' : 'Control the send'}</h2>
      {status === 'draft' || status === 'scheduled' ? (
        <p>
          <a class="usa-button" href={campaignPath(campaign, '/send')}>
            Send now…
          </a>
          <span class="usa-hint">You will see how many subscribers it goes to before it is sent.</span>
        </p>
      ) : null}
      <div>
        {status === 'scheduled' ? (
          <ActionButton
            action={campaignPath(campaign, '/unschedule')}
            csrfToken={ctx.csrfToken}
            label="Unschedule (back to draft)"
            variant="outline"
          />
        ) : null}
        {status === 'sending' ? (
          <ActionButton action={campaignPath(campaign, '/pause')} csrfToken={ctx.csrfToken} label="Pause" variant="outline" />
        ) : null}
        {status === 'paused' ? <ActionButton action={campaignPath(campaign, '/resume')} csrfToken={ctx.csrfToken} label="Resume" /> : null}
        <a class="usa-button usa-button--secondary margin-bottom-1" href={campaignPath(campaign, '/cancel')}>
          Cancel campaign…
        </a>
      </div>
    </section>
  );
}

/** One campaign: what it is, its live progress once started, and what the publisher can do next. */
export function CampaignPage(props: CampaignPageProps) {
  const { campaign, ctx } = props;
  const errors = props.errors ?? {};
  const started = props.progress !== null;
  return (
    <AdminLayout ctx={ctx} title={`Campaign: ${campaign.subject}`}>
      <BackToCampaigns />
      <h1>{campaign.subject}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={errors} />
      {props.overdue ? (
        <div class="margin-bottom-3">
          <Alert type="warning" heading="Overdue: not sent">
            This campaign was scheduled for <When at={campaign.scheduled_for} />, more than an hour ago, and was not sent automatically (the
            server may have been down, or this is a copy of the database). Check it is still wanted, then send it now or unschedule it.
          </Alert>
        </div>
      ) : null}
      {campaign.status === 'draft' && campaign.paused_reason ? (
        <div class="margin-bottom-3">
          <Alert type="warning" slim>
            {campaign.paused_reason}
          </Alert>
        </div>
      ) : null}
      <dl>
        <Fact term="Status">
          <StatusTag campaign={campaign} />
          {campaign.status === 'scheduled' ? (
            <>
              {' '}
              for <When at={campaign.scheduled_for} />
            </>
          ) : null}
        </Fact>
        <Fact term="Kind">{KIND_LABELS[campaign.kind]}</Fact>
        <Fact term="About">{props.source ? <a href={props.source.href}>{props.source.label}</a> : 'No longer published'}</Fact>
        <Fact term="Audience">{audienceText(campaign, props.topics)}</Fact>
        <Fact term="Public archive">{campaign.archived ? 'Shown on the archive once sent' : 'Not shown on the archive'}</Fact>
        <Fact term="Created">
          <When at={campaign.created_at} />
        </Fact>
        {campaign.started_at ? (
          <Fact term="Started">
            <When at={campaign.started_at} />
          </Fact>
        ) : null}
        {campaign.finished_at ? (
          <Fact term="Finished">
            <When at={campaign.finished_at} />
          </Fact>
        ) : null}
        {campaign.cancelled_at ? (
          <Fact term="Cancelled">
            <When at={campaign.cancelled_at} />
          </Fact>
        ) : null}
      </dl>
      <ul class="usa-list usa-list--unstyled margin-bottom-4">
        <li>
          <a href={campaignPath(campaign, '/preview')}>Preview the e-mail</a>
        </li>
        <li>
          <a href={campaignPath(campaign, '/preview.txt')}>Preview the plain-text version</a>
        </li>
        {started ? (
          <li>
            <a href={campaignPath(campaign, '/report')}>Report</a>
          </li>
        ) : null}
      </ul>
      {props.progress ? (
        <ProgressPanel campaign={campaign} progress={props.progress} nonce={ctx.nonce} renderedAt={props.renderedAt} />
      ) : null}
      <Actions ctx={ctx} campaign={campaign} />
      {campaign.status === 'draft' ? (
        <DraftFormSection ctx={ctx} campaign={campaign} topics={props.topics} draft={props.draft} errors={errors} />
      ) : null}
      {campaign.status !== 'cancelled' ? (
        <TestSendSection ctx={ctx} campaign={campaign} addresses={props.testAddresses ?? ''} error={errors.testAddresses} />
      ) : null}
      {campaign.status === 'draft' ? <ScheduleSection ctx={ctx} campaign={campaign} schedule={props.schedule} errors={errors} /> : null}
    </AdminLayout>
  );
}
