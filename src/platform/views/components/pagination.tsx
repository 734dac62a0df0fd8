/** Previous / next links for a paged list (USWDS pagination, reduced to what works without JS). */
export function Pagination(props: {
  basePath: string;
  page: number;
  pageCount: number;
  label: string;
  /** Other query parameters (filters, a search) kept on every page link; empty ones are left out. */
  params?: Record<string, string | undefined>;
  /** Builds a page's link when the list has its own URL scheme; overrides basePath and params. */
  href?: (page: number) => string;
}) {
  if (props.pageCount <= 1) return null;
  const href =
    props.href ??
    ((page: number) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(props.params ?? {})) if (value) query.set(key, value);
      query.set('page', String(page));
      return `${props.basePath}?${query}`;
    });
  return (
    <nav aria-label={props.label} class="usa-pagination">
      <ul class="usa-pagination__list">
        {props.page > 1 ? (
          <li class="usa-pagination__item usa-pagination__arrow">
            <a href={href(Math.min(props.page - 1, props.pageCount))} class="usa-pagination__link usa-pagination__previous-page">
              <span class="usa-pagination__link-text">Previous</span>
            </a>
          </li>
        ) : null}
        <li class="usa-pagination__item usa-pagination__page-no">
          <span class="usa-pagination__button usa-current" aria-current="page">
            Page {props.page} of {props.pageCount}
          </span>
        </li>
        {props.page < props.pageCount ? (
          <li class="usa-pagination__item usa-pagination__arrow">
            <a href={href(props.page + 1)} class="usa-pagination__link usa-pagination__next-page">
              <span class="usa-pagination__link-text">Next</span>
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** Reads `?page=` as a positive integer; anything else is page 1. */
export function pageNumber(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  const page = typeof raw === 'string' ? Number.parseInt(raw, 10) : 1;
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}
