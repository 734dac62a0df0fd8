import type { PageContext } from '../../platform/views/page-context.ts';
import { eventKindLabel, eventWhenLabel, publishedDateLabel, resourceKindLabel, safeHttpUrl } from '../format.ts';
import type { TopicView } from '../site/find-topic.ts';
import { PublicLayout } from './public-layout.tsx';

/** `/topics/:slug`: a topic's published articles, events and resources. */
export function TopicPage({ ctx, view }: { ctx: PageContext; view: TopicView }) {
  const { topic, articles, events, resources } = view;
  const empty = articles.length + events.length + resources.length === 0;
  return (
    <PublicLayout ctx={ctx} title={topic.name}>
      <p class="issue-dateline">Topic</p>
      <h1>{topic.name}</h1>
      {topic.description ? <p class="usa-intro">{topic.description}</p> : null}
      {empty ? <p>Nothing has been published on this topic yet.</p> : null}
      {articles.length ? (
        <section aria-labelledby="topic-articles">
          <h2 id="topic-articles">Articles</h2>
          <ul class="usa-collection">
            {articles.map((a) => (
              <li class="usa-collection__item">
                <div class="usa-collection__body">
                  <h3 class="usa-collection__heading">
                    <a class="usa-link" href={`/articles/${a.slug}`}>
                      {a.title}
                    </a>
                  </h3>
                  <p class="usa-collection__description">{a.summary}</p>
                  <ul class="usa-collection__meta" aria-label="Published">
                    <li class="usa-collection__meta-item">
                      <time dateTime={a.published_at ?? undefined}>{publishedDateLabel(a.published_at ?? a.updated_at)}</time>
                    </li>
                  </ul>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {events.length ? (
        <section aria-labelledby="topic-events">
          <h2 id="topic-events">Events</h2>
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
                    {eventKindLabel(e.kind)}: <time dateTime={e.starts_at}>{eventWhenLabel(e.starts_at, e.time_zone)}</time>
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {resources.length ? (
        <section aria-labelledby="topic-resources">
          <h2 id="topic-resources">Resources</h2>
          <ul class="usa-collection">
            {resources.map((r) => {
              const url = safeHttpUrl(r.url);
              return (
                <li class="usa-collection__item">
                  <div class="usa-collection__body">
                    <h3 class="usa-collection__heading">
                      {url ? (
                        <a class="usa-link" href={url}>
                          {r.title}
                        </a>
                      ) : (
                        r.title
                      )}
                    </h3>
                    {r.description ? <p class="usa-collection__description">{r.description}</p> : null}
                    <ul class="usa-collection__meta" aria-label="About this resource">
                      <li class="usa-collection__meta-item">{resourceKindLabel(r.kind)}</li>
                      {r.publisher ? <li class="usa-collection__meta-item">{r.publisher}</li> : null}
                    </ul>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {resources.length ? (
        <p>
          <a href={`/resources?topic=${encodeURIComponent(topic.slug)}`}>Filter the resources list by this topic</a>
        </p>
      ) : null}
      <p>
        <a href="/topics">All topics</a>
      </p>
    </PublicLayout>
  );
}
