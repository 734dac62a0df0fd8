import type { PageContext } from '../../platform/views/page-context.ts';
import { durationLabel, eventKindLabel, eventWhenLabel, hashtagUrl, safeHttpUrl } from '../format.ts';
import type { EventView } from '../site/find-event.ts';
import { parseHosts } from '../site/rows.ts';
import { ArticleBody, CalendarLink, HostList, TopicLinks } from './parts.tsx';
import { PublicLayout } from './public-layout.tsx';

/** Where the reader's-own-time script is served (see site/assets/local-time.js). */
export const LOCAL_TIME_SCRIPT = '/assets/publishing/local-time.js';

/** `/events/:slug`: one event with its time in its own zone and, with JavaScript, the reader's. */
export function EventPage({ ctx, view, now }: { ctx: PageContext; view: EventView; now: Date }) {
  const { event, article, topics } = view;
  const hosts = parseHosts(event.hosts);
  const joinUrl = safeHttpUrl(event.join_url);
  const recordingUrl = safeHttpUrl(event.recording_url);
  const past = new Date(event.starts_at).getTime() < now.getTime();
  return (
    <PublicLayout ctx={ctx} title={event.title}>
      <p class="issue-dateline">
        <span class="usa-tag">{eventKindLabel(event.kind)}</span>
        {past ? ' Past event' : null}
      </p>
      <h1>{event.title}</h1>
      <dl class="event-details">
        <dt>When</dt>
        <dd>
          <time dateTime={event.starts_at}>{eventWhenLabel(event.starts_at, event.time_zone)}</time>
          {/* Filled and shown by the script; without JavaScript the event's own zone above is the answer. */}
          <span class="event-local-time" data-local-time-holder hidden>
            Your time: <span data-local-time={event.starts_at} />
          </span>
        </dd>
        <dt>Duration</dt>
        <dd>{durationLabel(event.duration_minutes)}</dd>
        {event.hashtag ? (
          <>
            <dt>Hashtag</dt>
            <dd>
              <a href={hashtagUrl(event.hashtag)}>{event.hashtag}</a>
            </dd>
          </>
        ) : null}
        {hosts.length ? (
          <>
            <dt>Hosts</dt>
            <dd>
              <HostList hosts={hosts} />
            </dd>
          </>
        ) : null}
        {event.location ? (
          <>
            <dt>Location</dt>
            <dd>{event.location}</dd>
          </>
        ) : null}
        {joinUrl ? (
          <>
            <dt>{event.kind === 'in_person' ? 'Registration' : 'Join'}</dt>
            <dd>
              <a href={joinUrl}>{event.kind === 'in_person' ? 'Register for this event' : 'Join or register'}</a>
            </dd>
          </>
        ) : null}
      </dl>
      <p>
        <CalendarLink event={event} />
      </p>
      <p class="usa-prose">{event.description}</p>
      {event.recap_markdown ? (
        <section aria-labelledby="event-recap">
          <h2 id="event-recap">Recap</h2>
          <ArticleBody markdown={event.recap_markdown} demoteBy={1} />
        </section>
      ) : null}
      {recordingUrl ? (
        <p>
          <a class="usa-link" href={recordingUrl}>
            Watch the recording<span class="usa-sr-only">: {event.title}</span>
          </a>
        </p>
      ) : null}
      {article ? (
        <p>
          Read more in the article <a href={`/articles/${article.slug}`}>{article.title}</a>.
        </p>
      ) : null}
      <TopicLinks topics={topics} level={2} id="event-topics" />
      <p>
        <a href="/events">All events</a>
      </p>
      <script nonce={ctx.nonce} src={LOCAL_TIME_SCRIPT} defer />
    </PublicLayout>
  );
}
