import type { PageContext } from '../../platform/views/page-context.ts';
import { RESOURCE_KINDS, resourceKindLabel, safeHttpUrl } from '../format.ts';
import type { ResourceListing } from '../site/list-resources.ts';
import { PublicLayout } from './public-layout.tsx';

/** `/resources`: published resources grouped by kind, filtered with a GET form that needs no script. */
export function ResourcesPage({ ctx, listing, kind }: { ctx: PageContext; listing: ResourceListing; kind: string | undefined }) {
  const groups = RESOURCE_KINDS.map((k) => ({ kind: k, resources: listing.resources.filter((r) => r.kind === k) })).filter(
    (g) => g.resources.length > 0,
  );
  const filtered = Boolean(kind || listing.topic);
  const count = listing.resources.length;
  return (
    <PublicLayout ctx={ctx} title="Resources">
      <h1>Resources</h1>
      <p class="usa-intro">Publications, toolkits and websites for police, schools and their partners.</p>
      <form method="get" action="/resources" class="usa-form usa-form--large resource-filter" aria-label="Filter resources">
        <div class="usa-form-group">
          <label class="usa-label" for="filter-kind">
            Kind
          </label>
          <select class="usa-select" id="filter-kind" name="kind">
            <option value="">All kinds</option>
            {RESOURCE_KINDS.map((k) => (
              <option value={k} selected={k === kind}>
                {resourceKindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <div class="usa-form-group">
          <label class="usa-label" for="filter-topic">
            Topic
          </label>
          <select class="usa-select" id="filter-topic" name="topic">
            <option value="">All topics</option>
            {listing.topics.map((t) => (
              <option value={t.slug} selected={t.slug === listing.topic?.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="usa-button">
          Show resources
        </button>
        {filtered ? (
          <a class="usa-button usa-button--unstyled margin-left-2" href="/resources">
            Clear filters
          </a>
        ) : null}
      </form>
      <p role="status" class="margin-top-4">
        {count === 0 ? 'No resources match.' : count === 1 ? '1 resource' : `${count} resources`}
        {listing.topic ? ` on ${listing.topic.name}` : ''}
        {kind ? ` of kind ${resourceKindLabel(kind)}` : ''}.
      </p>
      {groups.map((group) => (
        <section aria-labelledby={`kind-${group.kind}`}>
          <h2 id={`kind-${group.kind}`}>{resourceKindLabel(group.kind)}</h2>
          <ul class="usa-collection">
            {group.resources.map((r) => {
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
                      {r.publisher ? <li class="usa-collection__meta-item">{r.publisher}</li> : null}
                      <li class="usa-collection__meta-item">{resourceKindLabel(r.kind)}</li>
                      {r.topics.map((t) => (
                        <li class="usa-collection__meta-item">
                          <a href={`/topics/${t.slug}`}>{t.name}</a>
                        </li>
                      ))}
                    </ul>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </PublicLayout>
  );
}
