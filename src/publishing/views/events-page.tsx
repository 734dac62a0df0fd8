import { Pagination } from '../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { durationLabel, eventKindLabel, eventWhenLabel } from '../format.ts';
import type { EventListing } from '../site/list-events.ts';
import type { EventRow } from '../site/published.ts';
import { PublicLayout } from './public-layout.tsx';

function EventList({ events }: { events: EventRow[] }) {
  return (
    <ul class="usa-collection">
      {events.map((e) => (
        <li class="usa-collection__item">
          <div class="usa-collection__body">
            <h3 class="usa-collection__heading">
              <a class="usa-link" href={`/events/${e.slug}`}>
                {e.title}
              </a>
            </h3>
            <p class="usa-collection__description">
              <time dateTime={e.starts_at}>{eventWhenLabel(e.starts_at, e.time_zone)}</time>
            </p>
            <ul class="usa-collection__meta" aria-label="About this event">
              <li class="usa-collection__meta-item">{eventKindLabel(e.kind)}</li>
              <li class="usa-collection__meta-item">{durationLabel(e.duration_minutes)}</li>
            </ul>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** `/events`: all upcoming events soonest first, then one page of past events newest first. */
export function EventsPage({
  ctx,
  listing,
}: {
  ctx: PageContext;
  /** Without the paging fields the past events are shown as one page. */
  listing: Pick<EventListing, 'upcoming' | 'past'> & Partial<Pick<EventListing, 'page' | 'pageCount' | 'pastTotal'>>;
}) {
  const { page = 1, pageCount = 1, pastTotal = listing.past.length } = listing;
  // Each page of past events gets its own title, so tabs, history and screen readers tell them apart.
  const title = page > 1 ? `Events, past events page ${page} of ${pageCount}` : 'Events';
  return (
    <PublicLayout ctx={ctx} title={title}>
      <h1>Events</h1>
      <p class="usa-intro">X chats, webinars and in-person events from the {ctx.settings.siteName}.</p>
      <section aria-labelledby="upcoming-events" class="margin-bottom-5">
        <h2 id="upcoming-events">Upcoming events</h2>
        {listing.upcoming.length ? <EventList events={listing.upcoming} /> : <p>No events are planned at the moment.</p>}
      </section>
      <section aria-labelledby="past-events">
        <h2 id="past-events">Past events</h2>
        {pageCount > 1 ? (
          <p class="text-base">
            Page {page} of {pageCount}, {pastTotal} past events in all.
          </p>
        ) : null}
        {listing.past.length ? <EventList events={listing.past} /> : <p>No past events yet.</p>}
        <Pagination basePath="/events" page={page} pageCount={pageCount} label="Pages of past events" />
      </section>
    </PublicLayout>
  );
}
