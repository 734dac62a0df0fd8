import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { ArticleStatus } from '../../../platform/db/schema.ts';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { listArticles } from '../articles/article-queries.ts';
import { STATE_LABELS } from '../articles/article-state.ts';
import { Notice, StatusTag, When } from './parts.tsx';

type Row = Awaited<ReturnType<typeof listArticles>>['rows'][number];

const FILTERS: { value: ArticleStatus | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'draft', label: 'Drafts' },
  { value: 'in_review', label: 'In review' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'published', label: 'Published' },
];

/** Articles, newest change first, filterable by state. */
export function ArticleListPage(props: {
  ctx: PageContext;
  rows: Row[];
  status: ArticleStatus | undefined;
  page: number;
  pageCount: number;
  notice?: string | undefined;
}) {
  return (
    <AdminLayout ctx={props.ctx} title="Articles">
      <h1>Articles</h1>
      <Notice text={props.notice} />
      <p>
        <a href="/admin/articles/new" class="usa-button">
          New article
        </a>
      </p>
      <nav aria-label="Show articles by state">
        <ul class="usa-button-group usa-button-group--segmented margin-bottom-2">
          {FILTERS.map((f) => {
            const current = f.value === props.status;
            return (
              <li class="usa-button-group__item">
                <a
                  href={f.value ? `/admin/articles?status=${f.value}` : '/admin/articles'}
                  class={current ? 'usa-button' : 'usa-button usa-button--outline'}
                  aria-current={current ? 'page' : undefined}
                >
                  {f.label}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      {props.rows.length === 0 ? (
        <p>No articles here yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">Articles, most recently changed first</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">State</th>
              <th scope="col">Issue</th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/articles/${row.id}`}>{row.title}</a>
                </th>
                <td>
                  <StatusTag label={STATE_LABELS[row.status]} />
                  {row.status === 'scheduled' ? (
                    <div class="font-sans-3xs">
                      <When at={row.scheduled_for} />
                    </div>
                  ) : null}
                </td>
                <td>{row.volume !== null && row.number !== null ? `Vol. ${row.volume}, No. ${row.number}` : 'Stands alone'}</td>
                <td>
                  <When at={row.updated_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        basePath="/admin/articles"
        params={{ status: props.status }}
        page={props.page}
        pageCount={props.pageCount}
        label="Article pages"
      />
    </AdminLayout>
  );
}
