import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { SubscriptionTopic } from '../../../platform/db/schema.ts';
import { ErrorSummary, FieldFrame, PostForm } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { CampaignListing } from '../../campaigns/campaign-queries.ts';
import { KIND_LABELS } from '../../campaigns/campaign-rules.ts';
import type { SourceOption, SourceOptions } from '../../campaigns/campaign-sources.ts';
import { count } from '../../campaigns/progress-text.ts';
import { audienceText, CAMPAIGNS_PATH, campaignPath, Notice, StatusTag, When } from './parts.tsx';

type Row = CampaignListing['campaigns'][number];

function Progress({ row }: { row: Row }) {
  if (row.status === 'draft' || row.status === 'scheduled') return <>Not started</>;
  const settled = row.counts.sent + row.counts.failed + row.counts.skipped;
  const total = Math.max(row.recipients, settled);
  return (
    <>
      {count(row.counts.sent)} of {count(total)} sent
      {row.counts.failed > 0 ? `, ${count(row.counts.failed)} failed` : ''}
    </>
  );
}

function Dates({ row }: { row: Row }) {
  return (
    <ul class="usa-list usa-list--unstyled">
      <li>
        Created <When at={row.created_at} />
      </li>
      {row.status === 'scheduled' ? (
        <li>
          Scheduled for <When at={row.scheduled_for} />
        </li>
      ) : null}
      {row.started_at ? (
        <li>
          Started <When at={row.started_at} />
        </li>
      ) : null}
      {row.finished_at ? (
        <li>
          Finished <When at={row.finished_at} />
        </li>
      ) : null}
      {row.cancelled_at ? (
        <li>
          Cancelled <When at={row.cancelled_at} />
        </li>
      ) : null}
    </ul>
  );
}

/** A select with option groups, in the platform's form-group frame (label, hint, error). */
function SourceSelect(props: {
  name: string;
  label: string;
  hint: string;
  groups: { label: string; options: SourceOption[] }[];
  value: string | undefined;
  error: string | undefined;
}) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      {(describedBy) => (
        <select
          class={props.error ? 'usa-select usa-input--error' : 'usa-select'}
          id={id}
          name={props.name}
          required
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
        >
          <option value="">- Choose -</option>
          {props.groups
            .filter((g) => g.options.length > 0)
            .map((group) => (
              <optgroup label={group.label}>
                {group.options.map((o) => (
                  <option value={o.value} selected={o.value === props.value}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
      )}
    </FieldFrame>
  );
}

function NewCampaignForms(props: {
  ctx: PageContext;
  sources: SourceOptions;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  const { sources, errors } = props;
  const hasBulletinSource = sources.issues.length + sources.articles.length > 0;
  return (
    <section aria-labelledby="new-campaign-heading" class="margin-bottom-5">
      <h2 id="new-campaign-heading">Start a new campaign</h2>
      <p class="usa-hint">
        A new campaign is a draft: you review its subject and audience, preview it and send yourself a test before anything goes to
        subscribers. The monthly digest is created and sent automatically on the first of each month.
      </p>
      <div class="grid-row grid-gap-lg">
        <div class="tablet:grid-col-6">
          <h3>Bulletin</h3>
          {hasBulletinSource ? (
            <PostForm action={CAMPAIGNS_PATH} csrfToken={props.ctx.csrfToken} label="New bulletin">
              <input type="hidden" name="kind" value="bulletin" />
              <SourceSelect
                name="bulletinSource"
                label="Published issue or article"
                hint="Goes to the subscribers of the topics it belongs to who get every bulletin."
                groups={[
                  { label: 'Issues', options: sources.issues },
                  { label: 'Articles', options: sources.articles },
                ]}
                value={props.values.bulletinSource}
                error={errors.bulletinSource}
              />
              <button type="submit" class="usa-button margin-top-2">
                Create bulletin draft
              </button>
            </PostForm>
          ) : (
            <p>Nothing is published yet: publish an issue or an article first.</p>
          )}
        </div>
        <div class="tablet:grid-col-6">
          <h3>Event reminder</h3>
          {sources.events.length > 0 ? (
            <PostForm action={CAMPAIGNS_PATH} csrfToken={props.ctx.csrfToken} label="New event reminder">
              <input type="hidden" name="kind" value="reminder" />
              <SourceSelect
                name="reminderSource"
                label="Upcoming event"
                hint="Goes to the subscribers of the event’s topics. Suggested time: the day before."
                groups={[{ label: 'Upcoming events', options: sources.events }]}
                value={props.values.reminderSource}
                error={errors.reminderSource}
              />
              <button type="submit" class="usa-button margin-top-2">
                Create reminder draft
              </button>
            </PostForm>
          ) : (
            <p>No published event is coming up.</p>
          )}
        </div>
      </div>
    </section>
  );
}

/** /admin/campaigns: every campaign, newest first, and the forms that start a new one. */
export function CampaignListPage(props: {
  ctx: PageContext;
  listing: CampaignListing;
  topics: SubscriptionTopic[];
  sources: SourceOptions;
  notice?: string | undefined;
  errors?: Record<string, string> | undefined;
  values?: Record<string, string> | undefined;
}) {
  const { listing } = props;
  const errors = props.errors ?? {};
  return (
    <AdminLayout ctx={props.ctx} title="Campaigns">
      <h1>Campaigns</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={errors} />
      <NewCampaignForms ctx={props.ctx} sources={props.sources} errors={errors} values={props.values ?? {}} />
      <section aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">All campaigns</h2>
        {listing.campaigns.length === 0 ? (
          <p>No campaigns yet.</p>
        ) : (
          <table class="usa-table usa-table--borderless usa-table--stacked width-full">
            <caption class="usa-sr-only">Campaigns, newest first ({count(listing.total)} in all)</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
                <th scope="col">Audience</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Dates</th>
              </tr>
            </thead>
            <tbody>
              {listing.campaigns.map((row) => (
                <tr>
                  <th scope="row" data-label="Subject">
                    <a href={campaignPath(row)}>{row.subject}</a>
                  </th>
                  <td data-label="Kind">{KIND_LABELS[row.kind]}</td>
                  <td data-label="Audience">{audienceText(row, props.topics)}</td>
                  <td data-label="Status">
                    <StatusTag campaign={row} />
                  </td>
                  <td data-label="Progress">
                    <Progress row={row} />
                  </td>
                  <td data-label="Dates">
                    <Dates row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination basePath={CAMPAIGNS_PATH} page={listing.page} pageCount={listing.pageCount} label="Campaign pages" />
      </section>
    </AdminLayout>
  );
}
