import type { PageContext } from '../../platform/views/page-context.ts';
import type { TopicSummary } from '../site/list-topics.ts';
import { PublicLayout } from './public-layout.tsx';

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `/topics`: every topic with its description and how much has been published on it. */
export function TopicsPage({ ctx, topics }: { ctx: PageContext; topics: TopicSummary[] }) {
  return (
    <PublicLayout ctx={ctx} title="Topics">
      <h1>Topics</h1>
      <p class="usa-intro">Articles, events and resources from the {ctx.settings.siteName}, by subject.</p>
      {topics.length === 0 ? <p>There are no topics yet.</p> : null}
      {topics.length ? (
        <ul class="usa-collection">
          {topics.map(({ topic, articles, events, resources }) => (
            <li class="usa-collection__item">
              <div class="usa-collection__body">
                <h2 class="usa-collection__heading">
                  <a class="usa-link" href={`/topics/${topic.slug}`}>
                    {topic.name}
                  </a>
                </h2>
                {topic.description ? <p class="usa-collection__description">{topic.description}</p> : null}
                <ul class="usa-collection__meta" aria-label={`Published on ${topic.name}`}>
                  <li class="usa-collection__meta-item">{counted(articles, 'article', 'articles')}</li>
                  <li class="usa-collection__meta-item">{counted(events, 'event', 'events')}</li>
                  <li class="usa-collection__meta-item">{counted(resources, 'resource', 'resources')}</li>
                </ul>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </PublicLayout>
  );
}
