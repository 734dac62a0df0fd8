import { ErrorSummary, SelectField } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { PublicLayout } from '../../views/public-layout.tsx';
import type { SearchPage as SearchOutcome, SearchResult } from '../search-published.ts';
import type { SearchKind } from '../tables.ts';
import { type SearchParams, searchHref } from './search-links.ts';

const kindLabels: Record<SearchKind, string> = { article: 'Article', event: 'Event', resource: 'Resource' };

export interface SearchPageProps {
  ctx: PageContext;
  /** Only valid values: a rejected kind or topic is '' here and named in `errors`. */
  params: SearchParams;
  topics: { slug: string; name: string }[];
  /** Absent when there was nothing to search for yet (or the request was refused). */
  outcome?: (SearchOutcome & { page: number; pageSize: number }) | undefined;
  errors?: Record<string, string> | undefined;
  message?: string | undefined;
}

const dateFormat = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

function countText(total: number, query: string): string {
  if (total === 0) return `No results for “${query}”`;
  return `${total.toLocaleString('en-US')} ${total === 1 ? 'result' : 'results'} for “${query}”`;
}

function ResultItem({ result }: { result: SearchResult }) {
  const external = result.kind === 'resource';
  return (
    <li class="usa-collection__item">
      <div class="usa-collection__body">
        <h3 class="usa-collection__heading">
          {result.url ? (
            <a class={external ? 'usa-link usa-link--external' : 'usa-link'} href={result.url} rel={external ? 'noreferrer' : undefined}>
              {result.title}
            </a>
          ) : (
            result.title
          )}
        </h3>
        {/* Escaped text with our own <mark> tags only: built by snippetToHtml (search/snippet-html.ts). */}
        <p class="usa-collection__description" dangerouslySetInnerHTML={{ __html: result.snippetHtml }} />
        <ul class="usa-collection__meta" aria-label="About this result">
          <li class="usa-collection__meta-item usa-tag">{kindLabels[result.kind]}</li>
          {result.publishedAt ? (
            <li class="usa-collection__meta-item">
              <time dateTime={result.publishedAt}>{dateFormat.format(new Date(result.publishedAt))}</time>
            </li>
          ) : null}
        </ul>
      </div>
    </li>
  );
}

function Results({ params, outcome }: { params: SearchParams; outcome: NonNullable<SearchPageProps['outcome']> }) {
  const pageCount = Math.ceil(outcome.total / outcome.pageSize);
  const first = (outcome.page - 1) * outcome.pageSize + 1;
  return (
    <section aria-labelledby="search-results-heading" class="margin-top-4">
      {/* A status region, so the count is read out when the results change. */}
      <div role="status">
        <h2 id="search-results-heading">{outcome.query ? countText(outcome.total, outcome.query) : 'Nothing to search for'}</h2>
        {outcome.results.length > 0 && pageCount > 1 ? (
          <p class="text-base">
            Showing {first}–{first + outcome.results.length - 1} of {outcome.total}.
          </p>
        ) : null}
      </div>
      {outcome.query === '' ? <p>Your search had no letters or numbers to look for. Try a word or two.</p> : null}
      {outcome.query && outcome.total === 0 ? <p>Try fewer or different words, or remove the filters.</p> : null}
      {outcome.total > 0 && outcome.results.length === 0 ? (
        <p>
          There are only {pageCount} {pageCount === 1 ? 'page' : 'pages'} of results. <a href={searchHref(params)}>Go to the first page</a>.
        </p>
      ) : null}
      {outcome.results.length > 0 ? (
        <ul class="usa-collection">
          {outcome.results.map((result) => (
            <ResultItem result={result} />
          ))}
        </ul>
      ) : null}
      {outcome.results.length > 0 ? (
        <Pagination
          basePath="/search"
          href={(page) => searchHref(params, page)}
          page={outcome.page}
          pageCount={pageCount}
          label="Search result pages"
        />
      ) : null}
    </section>
  );
}

/** `/search`: the search box, kind and topic filters, and a page of ranked results. */
export function SearchPage(props: SearchPageProps) {
  const { params, outcome, errors = {} } = props;
  const title = outcome?.query ? `Search: ${countText(outcome.total, outcome.query)}` : 'Search';
  return (
    <PublicLayout ctx={props.ctx} title={title}>
      <h1>Search the {props.ctx.settings.siteName}</h1>
      <ErrorSummary fields={errors} message={props.message} />
      {/* biome-ignore lint/a11y/useSemanticElements: USWDS's search markup; role="search" on the form is announced everywhere, <search> is not yet. */}
      <form class="usa-search usa-search--big margin-top-3" role="search" method="get" action="/search">
        <label class="usa-sr-only" for="search-q">
          Search articles, events and resources
        </label>
        <input class="usa-input" id="search-q" type="search" name="q" value={params.q} />
        {/* The filters chosen below stay in force for a new query. */}
        {params.kind ? <input type="hidden" name="kind" value={params.kind} /> : null}
        {params.topic ? <input type="hidden" name="topic" value={params.topic} /> : null}
        <button class="usa-button" type="submit">
          <span class="usa-search__submit-text">Search </span>
          <img src="/assets/uswds/img/usa-icons-bg/search--white.svg" class="usa-search__submit-icon" alt="Search" />
        </button>
      </form>
      <form class="usa-form search-filters margin-top-2" method="get" action="/search" aria-label="Filter results">
        <input type="hidden" name="q" value={params.q} />
        <SelectField
          name="kind"
          label="Show"
          value={params.kind}
          error={errors.kind}
          options={[
            { value: '', label: 'Articles, events and resources' },
            { value: 'article', label: 'Articles only' },
            { value: 'event', label: 'Events only' },
            { value: 'resource', label: 'Resources only' },
          ]}
        />
        <SelectField
          name="topic"
          label="Topic"
          value={params.topic}
          error={errors.topic}
          options={[{ value: '', label: 'All topics' }, ...props.topics.map((t) => ({ value: t.slug, label: t.name }))]}
        />
        <button class="usa-button usa-button--outline margin-top-2" type="submit">
          Apply filters
        </button>
      </form>
      {outcome ? <Results params={params} outcome={outcome} /> : null}
      {!outcome && !params.q ? (
        <p class="usa-hint margin-top-3">
          Put a phrase in "quotes", write <strong>or</strong> between alternatives, and a minus sign before a word to leave it out.
        </p>
      ) : null}
    </PublicLayout>
  );
}
