import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { ExportSubscribersForm } from '../../import/views/export-form.tsx';
import type { SubscriberMatch, SubscriberSearch } from '../find-subscribers.ts';
import { STATUS_LABELS, SUBSCRIBER_STATUSES, SUPPRESSION_LABELS, SUPPRESSION_REASONS } from '../labels.ts';
import type { SubscriberOverview } from '../load-subscriber-overview.ts';
import type { StatusCounts } from '../read-subscription-counts.ts';
import { GrowthChart } from './growth-chart.tsx';
import { Notice, when } from './parts.tsx';

const number = (n: number) => n.toLocaleString('en-US');

function CountCells({ counts }: { counts: StatusCounts }) {
  return (
    <>
      {SUBSCRIBER_STATUSES.map((status) => (
        <td class="text-right">{number(counts[status])}</td>
      ))}
      <td class="text-right text-bold">{number(counts.total)}</td>
    </>
  );
}

function CountsTable({ overview }: { overview: SubscriberOverview }) {
  return (
    <table class="usa-table usa-table--borderless usa-table--compact width-full subscriber-counts">
      <caption class="text-left">Subscribers per topic and status (a person with several topics counts once under each)</caption>
      <thead>
        <tr>
          <th scope="col">Topic</th>
          {SUBSCRIBER_STATUSES.map((status) => (
            <th scope="col" class="text-right">
              {STATUS_LABELS[status]}
            </th>
          ))}
          <th scope="col" class="text-right">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row" class="text-bold">
            All subscribers
          </th>
          <CountCells counts={overview.all} />
        </tr>
        {overview.topics.map(({ topic, counts }) => (
          <tr>
            <th scope="row">
              {topic.name}
              {topic.visibility === 'private' ? <span class="usa-tag margin-left-1">Private</span> : null}
            </th>
            <CountCells counts={counts} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MatchTable({ rows, caption }: { rows: SubscriberMatch[]; caption: string }) {
  return (
    <table class="usa-table usa-table--borderless usa-table--compact width-full">
      <caption class="usa-sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">E-mail address</th>
          <th scope="col">Status</th>
          <th scope="col">Added</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            <th scope="row" class="text-break-all">
              <a href={`/admin/subscribers/${row.id}`}>{row.email}</a>
            </th>
            <td>{STATUS_LABELS[row.status] ?? row.status}</td>
            <td>
              <time dateTime={row.created_at}>{when(row.created_at)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function startingText(rows: SubscriberMatch[], more: boolean, prefix: string): string {
  if (more) return `The first ${rows.length} addresses starting with “${prefix}”. Type more of the address to narrow the list.`;
  return `${rows.length === 1 ? 'One address starts' : `${rows.length} addresses start`} with “${prefix}”:`;
}

function SearchResults({ search }: { search: SubscriberSearch }) {
  if (search.kind === 'invalid') return null;
  if (search.kind === 'address') {
    return (
      <div role="status" class="margin-top-2">
        {search.matches.length > 0 ? (
          <>
            <p class="text-break-all">The subscriber with the address {search.email}:</p>
            <MatchTable rows={search.matches} caption="The subscriber with that address" />
          </>
        ) : (
          <>
            <p class="text-break-all">No subscriber has the address {search.email}.</p>
            {search.startingWith.length > 0 ? (
              <>
                <p class="text-break-all">{startingText(search.startingWith, search.more, search.email)}</p>
                <MatchTable rows={search.startingWith} caption="Addresses starting with what you typed" />
              </>
            ) : null}
          </>
        )}
      </div>
    );
  }
  return (
    <div role="status" class="margin-top-2">
      <p class="text-break-all">
        {search.matches.length === 0
          ? `No subscriber’s address starts with “${search.prefix}”.`
          : startingText(search.matches, search.more, search.prefix)}
      </p>
      {search.matches.length > 0 ? <MatchTable rows={search.matches} caption="Addresses starting with what you typed" /> : null}
    </div>
  );
}

/** /admin/subscribers: find a subscriber, counts per topic and status, suppressions, and growth. */
export function SubscribersPage(props: {
  ctx: PageContext;
  overview: SubscriberOverview;
  query: string;
  search: SubscriberSearch | null;
  notice?: string | undefined;
}) {
  const { overview, search } = props;
  const searchError = search?.kind === 'invalid' ? search.message : undefined;
  return (
    <AdminLayout ctx={props.ctx} title={searchError ? 'Error: Subscribers' : 'Subscribers'}>
      <h1>Subscribers</h1>
      <Notice text={props.notice} />
      <ul class="usa-list usa-list--unstyled margin-bottom-3">
        <li>
          <a href="/admin/subscribers/import">Import subscribers from a CSV file</a>
        </li>
        <li>
          <a href="/admin/subscriptions/topics">Subscription topics</a>
        </li>
      </ul>
      <ExportSubscribersForm csrfToken={props.ctx.csrfToken} />

      <section aria-labelledby="find-heading">
        <h2 id="find-heading">Find a subscriber</h2>
        <form class="usa-form usa-form--large" method="get" action="/admin/subscribers" aria-labelledby="find-heading">
          <TextField
            name="email"
            label="Email address"
            hint="A whole address finds that subscriber however it was typed; the start of one lists the addresses beginning with it."
            value={props.query}
            error={searchError}
            autocomplete="off"
            maxLength={320}
            spellcheck={false}
          />
          <button type="submit" class="usa-button margin-top-2">
            Find
          </button>
        </form>
        {search ? <SearchResults search={search} /> : null}
      </section>

      <section aria-labelledby="counts-heading" class="margin-top-5">
        <h2 id="counts-heading">Subscribers by topic and status</h2>
        <CountsTable overview={overview} />
      </section>

      <section aria-labelledby="suppressed-heading" class="margin-top-5">
        <h2 id="suppressed-heading">Suppressed addresses</h2>
        <p>
          {overview.suppressed.total === 0
            ? 'No address is suppressed.'
            : `${number(overview.suppressed.total)} ${overview.suppressed.total === 1 ? 'address is' : 'addresses are'} on the suppression list. Dispatch keeps only a keyed hash of each, never mails them and never imports them again.`}
        </p>
        {overview.suppressed.total > 0 ? (
          <table class="usa-table usa-table--borderless usa-table--compact">
            <caption class="usa-sr-only">Suppressed addresses by reason</caption>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="text-right">
                  Addresses
                </th>
              </tr>
            </thead>
            <tbody>
              {SUPPRESSION_REASONS.map((reason) => (
                <tr>
                  <th scope="row">{SUPPRESSION_LABELS[reason]}</th>
                  <td class="text-right">{number(overview.suppressed[reason])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section aria-labelledby="growth-heading" class="margin-top-5">
        <h2 id="growth-heading">Growth over the last 12 months</h2>
        <p>How many people confirmed a subscription and how many unsubscribed, month by month (UTC).</p>
        <GrowthChart months={overview.growth} />
      </section>
    </AdminLayout>
  );
}
