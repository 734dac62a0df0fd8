import { type SearchParams, searchHref } from './search-links.ts';

/**
 * Previous / next links for search results, in the markup of the platform's USWDS Pagination but
 * with links that keep the query and filters (the platform one knows only a bare path).
 */
export function SearchPagination(props: { params: SearchParams; page: number; pageCount: number }) {
  if (props.pageCount <= 1) return null;
  const { page, pageCount } = props;
  return (
    <nav aria-label="Search result pages" class="usa-pagination">
      <ul class="usa-pagination__list">
        {page > 1 ? (
          <li class="usa-pagination__item usa-pagination__arrow">
            <a href={searchHref(props.params, Math.min(page - 1, pageCount))} class="usa-pagination__link usa-pagination__previous-page">
              <span class="usa-pagination__link-text">Previous</span>
            </a>
          </li>
        ) : null}
        <li class="usa-pagination__item usa-pagination__page-no">
          <span class="usa-pagination__button usa-current" aria-current="page">
            Page {page} of {pageCount}
          </span>
        </li>
        {page < pageCount ? (
          <li class="usa-pagination__item usa-pagination__arrow">
            <a href={searchHref(props.params, page + 1)} class="usa-pagination__link usa-pagination__next-page">
              <span class="usa-pagination__link-text">Next</span>
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
