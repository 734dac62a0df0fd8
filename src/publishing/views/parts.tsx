import type { ComponentChildren } from 'preact';
import { durationLabel, eventKindLabel, eventWhenLabel, hashtagUrl, issueDateline, safeHttpUrl } from '../format.ts';
import { renderMarkdown } from '../markdown.ts';
import type { EventRow, IssueRow, TopicRow } from '../site/published.ts';
import { type Link, parseHosts } from '../site/rows.ts';

// Pieces the public pages share. Headings take a level so each page keeps one h1 and no gaps.

export type Level = 2 | 3 | 4;

function Heading(props: { level: Level; id?: string; class?: string; children: ComponentChildren }) {
  const Tag = `h${props.level}` as 'h2';
  return (
    <Tag id={props.id} class={props.class}>
      {props.children}
    </Tag>
  );
}

/**
 * Sanitised article HTML (see markdown.ts) with its headings moved down `by` levels, for bodies shown
 * under a heading of their own. The sanitiser leaves heading tags without attributes, so the plain
 * tag match below sees every one of them.
 */
export function bodyHtml(markdown: string, by = 0): string {
  const html = renderMarkdown(markdown);
  if (by === 0) return html;
  return html.replace(/<(\/?)h([2-6])>/g, (_m, slash: string, n: string) => `<${slash}h${Math.min(6, Number(n) + by)}>`);
}

/** The article body as HTML from renderMarkdown (markdown-it with raw HTML off, then an allowlist). */
export function ArticleBody({ markdown, demoteBy = 0 }: { markdown: string; demoteBy?: number }) {
  return <div class="article-body usa-prose" dangerouslySetInnerHTML={{ __html: bodyHtml(markdown, demoteBy) }} />;
}

/** "January 2024 | Volume 17 | Issue 1", linked to the issue unless it is the page itself. */
export function IssueStamp({ issue, link = true }: { issue: IssueRow; link?: boolean }) {
  const text = issueDateline(issue);
  return <p class="issue-dateline">{link ? <a href={`/issues/${issue.volume}/${issue.number}`}>{text}</a> : text}</p>;
}

/** "Jane Doe", "Jane Doe and Sam Roe", "A, B and C". */
export function namesList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function AdditionalResources({ links, level, id }: { links: Link[]; level: Level; id: string }) {
  if (links.length === 0) return null;
  return (
    <section class="additional-resources margin-y-4" aria-labelledby={id}>
      <Heading level={level} id={id}>
        Additional Resources
      </Heading>
      <ul class="usa-list">
        {links.map((link) => (
          <li>
            <a class="usa-link" href={link.url}>
              {link.title}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A piece's topics as tags; `allTopics` adds a link to the `/topics` index under them. */
export function TopicLinks({
  topics,
  level,
  id,
  allTopics = false,
}: {
  topics: TopicRow[];
  level: Level;
  id: string;
  allTopics?: boolean;
}) {
  if (topics.length === 0) return null;
  return (
    <section class="margin-y-4" aria-labelledby={id}>
      <Heading level={level} id={id}>
        Topics
      </Heading>
      <ul class="usa-list usa-list--unstyled topic-links">
        {topics.map((topic) => (
          <li>
            <a class="usa-tag usa-tag--big topic-link" href={`/topics/${topic.slug}`}>
              {topic.name}
            </a>
          </li>
        ))}
      </ul>
      {allTopics ? (
        <p>
          <a href="/topics">All topics</a>
        </p>
      ) : null}
    </section>
  );
}

/** The hosts of an event: "COPS Office (@COPSOffice) and REMS TA Center (@remstacenter)". */
export function HostList({ hosts }: { hosts: ReturnType<typeof parseHosts> }) {
  return (
    <>
      {hosts.map((host, i) => {
        const handle = host.handle || host.name;
        return (
          <>
            {i === 0 ? '' : i === hosts.length - 1 ? ' and ' : ', '}
            {host.name && host.handle ? `${host.name} (` : ''}
            {host.url ? <a href={host.url}>{handle}</a> : handle}
            {host.name && host.handle ? ')' : ''}
          </>
        );
      })}
    </>
  );
}

export function CalendarLink({ event }: { event: EventRow }) {
  return (
    <a class="usa-button usa-button--outline calendar-link" href={`/events/${event.slug}.ics`}>
      Add to calendar<span class="usa-sr-only">: {event.title}</span>
    </a>
  );
}

/** The box an article shows for its event: what, when (in the event's zone), hosts, calendar link. */
export function EventBox({ event, level }: { event: EventRow; level: Level }) {
  const hosts = parseHosts(event.hosts);
  const joinUrl = safeHttpUrl(event.join_url);
  const headingId = `event-${event.id}`;
  return (
    <section class="usa-summary-box event-box margin-y-4" aria-labelledby={headingId}>
      <div class="usa-summary-box__body">
        <Heading level={level} id={headingId} class="usa-summary-box__heading">
          <a href={`/events/${event.slug}`}>{event.title}</a>
        </Heading>
        <div class="usa-summary-box__text">
          <p>
            <strong>{eventKindLabel(event.kind)}:</strong>{' '}
            <time dateTime={event.starts_at}>{eventWhenLabel(event.starts_at, event.time_zone)}</time> (
            {durationLabel(event.duration_minutes)})
          </p>
          {event.hashtag ? (
            <p>
              <strong>Hashtag:</strong> <a href={hashtagUrl(event.hashtag)}>{event.hashtag}</a>
            </p>
          ) : null}
          {hosts.length ? (
            <p>
              <strong>Hosts:</strong> <HostList hosts={hosts} />
            </p>
          ) : null}
          {event.location ? (
            <p>
              <strong>Location:</strong> {event.location}
            </p>
          ) : null}
          {joinUrl ? (
            <p>
              <a href={joinUrl}>Join or register</a>
            </p>
          ) : null}
          <p>{event.description}</p>
          <p class="margin-bottom-0">
            <CalendarLink event={event} />
          </p>
        </div>
      </div>
    </section>
  );
}

/** Feed links, visible on the page (the layout's <head> carries the rel=alternate links). */
export function FollowLinks({ level }: { level: Level }) {
  return (
    <section class="publishing-follow margin-y-4" aria-labelledby="follow-heading">
      <Heading level={level} id="follow-heading">
        Follow
      </Heading>
      <p>New articles appear in these feeds as soon as they are published:</p>
      <ul class="usa-list">
        <li>
          <a href="/feed.xml" type="application/rss+xml">
            RSS feed
          </a>
        </li>
        <li>
          <a href="/atom.xml" type="application/atom+xml">
            Atom feed
          </a>
        </li>
        <li>
          <a href="/feed.json" type="application/feed+json">
            JSON Feed
          </a>
        </li>
      </ul>
    </section>
  );
}

/**
 * The "Subscribe to Email Updates" box every public page ends with. Public pages are cached and
 * shared between visitors, so the box carries no anti-forgery token: it is a plain GET form that
 * opens /subscribe with the address filled in, where the person chooses topics and sends the
 * actual (token-protected) request. Its ids are its own, so it never clashes with a page's form.
 */
export function SubscribeBox({ level }: { level: Level }) {
  return (
    <section class="usa-summary-box publishing-subscribe margin-y-4" aria-labelledby="subscribe-box-heading">
      <div class="usa-summary-box__body">
        <Heading level={level} id="subscribe-box-heading" class="usa-summary-box__heading">
          Subscribe to Email Updates
        </Heading>
        <div class="usa-summary-box__text">
          <p id="subscribe-box-about">
            Sign up for monthly updates by e-mail: enter your address, then choose your topics on the next page.
          </p>
          <form method="get" action="/subscribe" class="usa-form">
            <label class="usa-label" for="subscribe-box-email">
              Email address
            </label>
            <input
              class="usa-input"
              id="subscribe-box-email"
              name="email"
              type="email"
              autocomplete="email"
              maxLength={254}
              spellcheck={false}
              aria-describedby="subscribe-box-about"
            />
            <button type="submit" class="usa-button">
              Subscribe
            </button>
          </form>
          <p class="margin-bottom-0">
            <a href="/preferences">Manage your subscriber preferences</a>
          </p>
        </div>
      </div>
    </section>
  );
}
