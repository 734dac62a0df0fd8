import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { eventTimeInZone, issueDateline } from '../format.ts';
import { renderMarkdown } from '../markdown.ts';
import type { CurrentIssue } from '../queries.ts';

interface Host {
  handle: string;
  name: string;
  url: string;
}

function EventBox({ event }: { event: CurrentIssue['events'][number] }) {
  const when = eventTimeInZone(event.starts_at, event.time_zone);
  const hosts = JSON.parse(event.hosts) as Host[];
  return (
    <aside class="usa-summary-box margin-y-4" aria-labelledby={`event-${event.id}`}>
      <div class="usa-summary-box__body">
        <h3 class="usa-summary-box__heading" id={`event-${event.id}`}>
          {event.title}
        </h3>
        <div class="usa-summary-box__text">
          <p>
            <strong>When:</strong>{' '}
            <time dateTime={event.starts_at}>
              {when.date}, {when.time}
            </time>{' '}
            ({event.duration_minutes} minutes)
          </p>
          {event.hashtag ? (
            <p>
              <strong>Hashtag:</strong>{' '}
              <a href={`https://x.com/hashtag/${encodeURIComponent(event.hashtag.replace(/^#/, ''))}`}>{event.hashtag}</a>
            </p>
          ) : null}
          {hosts.length ? (
            <p>
              <strong>Hosts:</strong>{' '}
              {hosts.map((h, i) => (
                <>
                  {i > 0 ? ' and ' : ''}
                  {h.name} (<a href={h.url}>{h.handle}</a>)
                </>
              ))}
            </p>
          ) : null}
          <p>{event.description}</p>
        </div>
      </div>
    </aside>
  );
}

/** The home page: the current issue, its dateline and its articles, read-only. */
export function HomePage({ ctx, current }: { ctx: PageContext; current: CurrentIssue | undefined }) {
  if (!current) {
    return (
      <Layout ctx={ctx} title="Current issue">
        <h1>{ctx.settings.siteName}</h1>
        <p class="usa-intro">No issue has been published yet.</p>
      </Layout>
    );
  }
  const { issue, articles, events } = current;
  const dateline = issueDateline(issue);
  return (
    <Layout ctx={ctx} title={dateline}>
      <p class="issue-dateline">{dateline}</p>
      <h1 class="usa-sr-only">
        {ctx.settings.siteName}: {dateline}
      </h1>
      {articles.map((article) => (
        <article class="margin-bottom-6" aria-labelledby={`article-${article.id}`}>
          <h2 id={`article-${article.id}`} class="font-heading-xl margin-top-1">
            {article.title}
          </h2>
          <p class="usa-intro">{article.summary}</p>
          {/* Rendered from Markdown with raw HTML disabled; see publishing/markdown.ts. */}
          <div class="article-body usa-prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(article.body_markdown) }} />
          {events
            .filter((e) => e.article_id === article.id)
            .map((event) => (
              <EventBox event={event} />
            ))}
        </article>
      ))}
    </Layout>
  );
}
