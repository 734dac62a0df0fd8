import type { ComponentChildren } from 'preact';
import type { Campaign, SubscriptionTopic } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { campaignTopicIds } from '../../campaigns/campaign-queries.ts';
import { STATUS_LABELS } from '../../campaigns/campaign-rules.ts';

export const CAMPAIGNS_PATH = '/admin/campaigns';

export const campaignPath = (campaign: Pick<Campaign, 'id'>, suffix = '') => `${CAMPAIGNS_PATH}/${campaign.id}${suffix}`;

/** An instant for staff in office (Eastern) time: "Jan 22, 2024, 11:00 AM EST", the exact UTC time in the markup. */
export function When({ at }: { at: string | null }) {
  if (!at) return <>—</>;
  const date = new Date(at);
  const text = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', dateStyle: 'medium', timeStyle: 'short' }).format(date);
  const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  return (
    <time dateTime={at}>
      {text} {zone ?? ''}
    </time>
  );
}

/** A campaign state as a USWDS tag; the word carries the meaning, not the colour. */
export function StatusTag({ campaign }: { campaign: Pick<Campaign, 'status'> }) {
  return <span class="usa-tag">{STATUS_LABELS[campaign.status]}</span>;
}

/** The success note after a redirect (?notice=…). */
export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div class="margin-bottom-3">
      <Alert type="success" slim>
        {text}
      </Alert>
    </div>
  );
}

/** A one-button form for a state change. */
export function ActionButton(props: { action: string; csrfToken: string; label: string; variant?: 'outline' | 'secondary' }) {
  const classes = ['usa-button', props.variant ? `usa-button--${props.variant}` : ''].filter(Boolean).join(' ');
  return (
    <form method="post" action={props.action} class="display-inline-block margin-right-1 margin-bottom-1">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <button type="submit" class={classes}>
        {props.label}
      </button>
    </form>
  );
}

/** A term and its description in a summary list. */
export function Fact(props: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt class="text-bold">{props.term}</dt>
      <dd class="margin-left-0 margin-bottom-1">{props.children}</dd>
    </>
  );
}

/** "Community Policing Dispatch, School safety: subscribers who get every bulletin." */
export function audienceText(campaign: Pick<Campaign, 'topic_ids' | 'audience_frequency'>, topics: SubscriptionTopic[]): string {
  const names = new Map(topics.map((t) => [t.id, t.name]));
  const chosen = campaignTopicIds(campaign).map((id) => names.get(id) ?? 'a deleted topic');
  const who = campaign.audience_frequency === 'digest' ? 'subscribers who chose the monthly digest' : 'subscribers who get every bulletin';
  return chosen.length === 0 ? 'No topics chosen yet' : `${chosen.join(', ')}: ${who}`;
}

export function BackToCampaigns() {
  return (
    <p class="margin-top-0">
      <a href={CAMPAIGNS_PATH}>Campaigns</a>
    </p>
  );
}
