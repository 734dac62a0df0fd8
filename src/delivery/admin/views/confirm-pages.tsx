import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { Campaign, SubscriptionTopic } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { PostForm } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { count } from '../../campaigns/progress-text.ts';
import { audienceText, BackToCampaigns, campaignPath } from './parts.tsx';

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** The step between "Send now…" and the send: says exactly how many people it goes to. */
export function SendConfirmPage(props: { ctx: PageContext; campaign: Campaign; topics: SubscriptionTopic[]; eligible: number }) {
  const { campaign, ctx, eligible } = props;
  const title = `Send “${campaign.subject}”?`;
  return (
    <AdminLayout ctx={ctx} title={title}>
      <BackToCampaigns />
      <h1>{title}</h1>
      <p class="usa-intro">
        It goes to <strong>{plural(eligible, 'subscriber', 'subscribers')}</strong> now: {audienceText(campaign, props.topics)}.
      </p>
      <p>
        Sending cannot be undone. You can pause or cancel it while it is going out, but those already sent to keep their copy. Subscribers
        who unsubscribe during the send get nothing more.
      </p>
      {eligible === 0 ? (
        <Alert type="warning" slim>
          Nobody would receive it: no confirmed subscriber of these topics gets this kind of e-mail. Change the topics first.
        </Alert>
      ) : (
        <PostForm action={campaignPath(campaign, '/send')} csrfToken={ctx.csrfToken} label="Confirm the send">
          <button type="submit" class="usa-button">
            Send to {plural(eligible, 'subscriber', 'subscribers')}
          </button>
        </PostForm>
      )}
      <p class="margin-top-3">
        <a href={campaignPath(campaign)}>Back to the campaign, without sending</a>
      </p>
    </AdminLayout>
  );
}

/** The step before cancelling, which cannot be undone. */
export function CancelConfirmPage(props: { ctx: PageContext; campaign: Campaign }) {
  const { campaign, ctx } = props;
  const title = `Cancel “${campaign.subject}”?`;
  const started = campaign.status !== 'draft' && campaign.status !== 'scheduled';
  return (
    <AdminLayout ctx={ctx} title={title}>
      <BackToCampaigns />
      <h1>{title}</h1>
      <p class="usa-intro">
        {started
          ? 'Nothing more is sent. Those already sent to keep their copy. A cancelled campaign cannot be restarted.'
          : 'It will never be sent. A cancelled campaign cannot be restarted; you can create a new draft later.'}
      </p>
      <PostForm action={campaignPath(campaign, '/cancel')} csrfToken={ctx.csrfToken} label="Confirm the cancellation">
        <button type="submit" class="usa-button usa-button--secondary">
          Cancel the campaign
        </button>
      </PostForm>
      <p class="margin-top-3">
        <a href={campaignPath(campaign)}>Back to the campaign, keeping it</a>
      </p>
    </AdminLayout>
  );
}

/** 409: the campaign's state does not allow what was asked (sent twice, edited while sending…). */
export function CampaignConflictPage(props: { ctx: PageContext; campaign: Campaign; message: string }) {
  const { campaign, ctx } = props;
  return (
    <AdminLayout ctx={ctx} title="That cannot be done now">
      <BackToCampaigns />
      <h1>That cannot be done now</h1>
      <Alert type="warning" slim>
        {props.message}
      </Alert>
      <p class="margin-top-3">
        <a href={campaignPath(campaign)}>See the campaign as it is now: {campaign.subject}</a>
      </p>
    </AdminLayout>
  );
}
