import type { ComponentChildren } from 'preact';
import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { Notice } from './parts.tsx';

/** A column of an editorial list: its header and how a row fills its cell. */
export interface ListColumn<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
}

/**
 * The shape every editorial list shares: heading, notice, a "New …" button, a table whose first
 * column links to the item's edit page, and paging. Each list supplies only its own columns.
 */
export function EditorialListPage<Row extends { id: string }>(props: {
  ctx: PageContext;
  /** Plural heading, e.g. "Events"; also the path segment under /admin in lower case. */
  title: string;
  basePath: string;
  newLabel: string;
  /** Caption for screen readers, e.g. "Events, latest first". */
  caption: string;
  /** The first column: header and the link text for a row. */
  name: { header: string; text: (row: Row) => ComponentChildren };
  columns: ListColumn<Row>[];
  rows: Row[];
  page: number;
  pageCount: number;
  notice?: string | undefined;
  /** Shown between the button and the table (e.g. a rule editors should know). */
  intro?: ComponentChildren;
}) {
  const singular = props.newLabel.replace(/^New (.)/, (_, first: string) => first.toUpperCase());
  return (
    <AdminLayout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <Notice text={props.notice} />
      <p>
        <a href={`${props.basePath}/new`} class="usa-button">
          {props.newLabel}
        </a>
      </p>
      {props.intro}
      {props.rows.length === 0 ? (
        <p>No {props.title.toLowerCase()} yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{props.name.header}</th>
              {props.columns.map((c) => (
                <th scope="col">{c.header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                <th scope="row">
                  <a href={`${props.basePath}/${row.id}`}>{props.name.text(row)}</a>
                </th>
                {props.columns.map((c) => (
                  <td>{c.cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination basePath={props.basePath} page={props.page} pageCount={props.pageCount} label={`${singular} pages`} />
    </AdminLayout>
  );
}
