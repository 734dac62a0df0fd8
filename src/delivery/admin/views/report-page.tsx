import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { SubscriptionTopic } from '../../../platform/db/schema.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { CampaignReport } from '../../campaigns/campaign-report.ts';
import { KIND_LABELS } from '../../campaigns/campaign-rules.ts';
import { count } from '../../campaigns/progress-text.ts';
import { audienceText, BackToCampaigns, campaignPath, Fact, StatusTag, When } from './parts.tsx';

function Figure(props: { label: string; value: number; note?: string }) {
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td class="text-tabular text-right">{count(props.value)}</td>
      <td>{props.note ?? ''}</td>
    </tr>
  );
}

/** What happened to a send: the ledger's counts, bounces and complaints, and unsubscribes since. */
export function CampaignReportPage(props: { ctx: PageContext; report: CampaignReport; topics: SubscriptionTopic[] }) {
  const { campaign, counts, bounces } = props.report;
  const title = `Report: ${campaign.subject}`;
  return (
    <AdminLayout ctx={props.ctx} title={title}>
      <BackToCampaigns />
      <h1>{title}</h1>
      <p>
        <a href={campaignPath(campaign)}>Back to the campaign</a>
      </p>
      <dl>
        <Fact term="Status">
          <StatusTag campaign={campaign} />
        </Fact>
        <Fact term="Kind">{KIND_LABELS[campaign.kind]}</Fact>
        <Fact term="Audience">{audienceText(campaign, props.topics)}</Fact>
        <Fact term="Started">
          <When at={campaign.started_at} />
        </Fact>
        <Fact term="Finished">
          <When at={campaign.finished_at ?? campaign.cancelled_at} />
          {campaign.cancelled_at ? ' (cancelled)' : ''}
        </Fact>
      </dl>
      <table class="usa-table usa-table--borderless">
        <caption>Figures</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">How many</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          <Figure label="Recipients" value={props.report.recipients} note="Eligible subscribers when the send started." />
          <Figure label="Sent" value={counts.sent} note="Accepted by the receiving mail server." />
          <Figure label="Failed" value={counts.failed} note="Refused, or still failing after the retries." />
          <Figure label="Skipped" value={counts.skipped} note="Unsubscribed, paused or deleted before their turn came." />
          <Figure label="Not sent yet" value={counts.pending + counts.sending} />
          <Figure label="Hard bounces" value={bounces.hard} note="The address does not exist; it is suppressed." />
          <Figure label="Soft bounces" value={bounces.soft} note="Temporary trouble, such as a full mailbox." />
          <Figure label="Complaints" value={bounces.complaint} note="Marked as spam; the address is suppressed." />
          <Figure label="Unsubscribed since" value={props.report.unsubscribedSince} note="Of those sent to, since the send started." />
        </tbody>
      </table>
    </AdminLayout>
  );
}
