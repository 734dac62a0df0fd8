import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { SubscriberImportStatus } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { CsrfField, ErrorSummary, FieldFrame, PostForm } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { DEFAULT_SOURCE, EXAMPLE_CSV, MAX_LINE_BYTES, MAX_SOURCE_LENGTH, TOPIC_SEPARATOR } from '../import-format.ts';
import type { ImportSummary, RejectionPage } from '../import-queries.ts';
import { ExportSubscribersForm } from './export-form.tsx';

export const IMPORT_STATUS_LABELS: Record<SubscriberImportStatus, string> = {
  validating: 'Being checked',
  ready: 'Checked, waiting for your choice',
  importing: 'Being imported',
  imported: 'Imported',
  discarded: 'Nothing imported',
  failed: 'Refused',
};

export interface TopicOption {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
/** "2026-11-28 14:05 UTC": admins across time zones read the same text. */
const utc = (at: string) => `${at.replace('T', ' ').slice(0, 16)} UTC`;

function ImportNav() {
  return (
    <p>
      <a href="/admin/subscribers">Subscribers</a> · <a href="/admin/subscribers/import">Import subscribers</a> ·{' '}
      <a href="/admin/subscribers/imports">Recent imports</a>
    </p>
  );
}

/** The columns of an import file, explained. */
function FormatTable(props: { defaultTopic: string }) {
  return (
    <table class="usa-table usa-table--borderless width-full">
      <caption class="text-left">The columns of an import file</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Required</th>
          <th scope="col">What it holds</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">
            <code>email</code>
          </th>
          <td>Yes</td>
          <td>The e-mail address. Upper and lower case count as the same address; list each address once.</td>
        </tr>
        <tr>
          <th scope="row">
            <code>topics</code>
          </th>
          <td>No</td>
          <td>
            Topic short names (below), separated by <code>{TOPIC_SEPARATOR}</code>. Left empty: {props.defaultTopic}.
          </td>
        </tr>
        <tr>
          <th scope="row">
            <code>consent_date</code>
          </th>
          <td>No</td>
          <td>
            When the person agreed to receive these e-mails, like <code>2024-05-31</code> or <code>2024-05-31T14:30:00Z</code> (UTC unless a
            time zone is given). Left empty: the person is e-mailed a link to confirm and gets nothing until they do.
          </td>
        </tr>
        <tr>
          <th scope="row">
            <code>source</code>
          </th>
          <td>No</td>
          <td>
            Where that consent came from, at most {MAX_SOURCE_LENGTH} characters (kept as consent evidence). Left empty: “{DEFAULT_SOURCE}”.
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function TopicTable(props: { topics: TopicOption[] }) {
  return (
    <table class="usa-table usa-table--borderless width-full">
      <caption class="text-left">Topic short names</caption>
      <thead>
        <tr>
          <th scope="col">Short name</th>
          <th scope="col">Topic</th>
          <th scope="col">Visibility</th>
        </tr>
      </thead>
      <tbody>
        {props.topics.map((topic) => (
          <tr>
            <th scope="row">
              <code>{topic.slug}</code>
            </th>
            <td>{topic.name}</td>
            <td>{topic.visibility === 'private' ? 'Private (staff only)' : 'Public'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** GET /admin/subscribers/import: the format, the upload form, and the export button. */
export function ImportUploadPage(props: {
  ctx: PageContext;
  topics: TopicOption[];
  /** "200 MB". */
  maxUploadSize: string;
  errors?: Record<string, string> | undefined;
}) {
  const errors = props.errors ?? {};
  const defaultTopic = props.topics.find((t) => t.slug === 'dispatch')?.name ?? 'the Dispatch';
  return (
    <AdminLayout ctx={props.ctx} title="Import subscribers">
      <ImportNav />
      <h1>Import subscribers</h1>
      <ErrorSummary fields={errors} />
      <p>
        Add subscribers from a spreadsheet saved as CSV. The file is checked first: you then see every line that cannot be imported and why,
        and choose to import the valid rows or nothing. Nothing changes until you choose.
      </p>
      <form class="usa-form" method="post" action="/admin/subscribers/import" enctype="multipart/form-data" aria-label="Check a CSV file">
        {/* First in the form: the server reads the token before it reads the file. */}
        <CsrfField token={props.ctx.csrfToken} />
        <FieldFrame id="field-file" label="CSV file" hint={`Saved as “CSV UTF-8”, at most ${props.maxUploadSize}.`} error={errors.file}>
          {(describedBy) => (
            <input
              class={errors.file ? 'usa-file-input usa-input--error' : 'usa-file-input'}
              id="field-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              required
              aria-describedby={describedBy}
              aria-invalid={errors.file ? 'true' : undefined}
            />
          )}
        </FieldFrame>
        <button type="submit" class="usa-button margin-top-2">
          Check the file
        </button>
      </form>

      <h2>The file</h2>
      <p>The first line names the columns, in any order. Then one line per subscriber. An example:</p>
      {/* Focusable, so keyboard users can scroll it sideways on a narrow screen. */}
      <section class="bg-base-lightest padding-2 overflow-x-auto" tabindex={0} aria-label="An example file">
        <pre class="margin-0">
          <code>{EXAMPLE_CSV}</code>
        </pre>
      </section>
      <FormatTable defaultTopic={defaultTopic} />
      <ul class="usa-list">
        <li>
          Addresses that unsubscribed, asked to be deleted, bounced or complained are never added back. Existing subscribers keep their
          status and are added to the topics they are not in yet.
        </li>
        <li>
          Put a value that contains a comma in double quotes. Lines can be at most {count(MAX_LINE_BYTES)} characters long. A file exported
          below can be imported again.
        </li>
      </ul>
      <TopicTable topics={props.topics} />

      <h2>Export</h2>
      <ExportSubscribersForm csrfToken={props.ctx.csrfToken} />
    </AdminLayout>
  );
}

function Counts(props: { summary: ImportSummary }) {
  const s = props.summary;
  const rows: [string, string][] = [
    ['File', s.fileName],
    ['Checked by', s.createdBy],
    ['Checked', utc(s.createdAt)],
    ['Status', IMPORT_STATUS_LABELS[s.status]],
  ];
  if (s.status !== 'failed') {
    rows.push(['Lines checked', count(s.totalRows)], ['Valid', count(s.validRows)], ['Rejected', count(s.rejectedRows)]);
  }
  if (s.status === 'imported') {
    rows.push(
      ['New subscribers', count(s.importedRows)],
      ['Of them, asked to confirm', s.pendingConfirmation === null ? '—' : count(s.pendingConfirmation)],
      ['Existing subscribers given topics', count(s.updatedRows)],
      ['Skipped (unsubscribed or suppressed)', count(s.skippedRows)],
    );
  }
  return (
    <dl class="import-counts">
      {rows.map(([term, value]) => (
        <div class="margin-bottom-1">
          <dt class="text-bold display-inline">{term}: </dt>
          <dd class="display-inline margin-left-0 text-break-word">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Choice(props: { ctx: PageContext; summary: ImportSummary }) {
  const { summary } = props;
  const base = `/admin/subscribers/import/${summary.id}`;
  return (
    <div class="margin-y-3">
      <h2>Your choice</h2>
      {summary.validRows > 0 ? (
        <p>
          Importing adds the valid rows in one step. New addresses without a consent date are e-mailed a link to confirm. The rejected lines
          are left out.
        </p>
      ) : (
        <p>No line of this file can be imported.</p>
      )}
      <div class="display-flex flex-wrap flex-align-center">
        {summary.validRows > 0 ? (
          <PostForm
            action={`${base}/commit`}
            csrfToken={props.ctx.csrfToken}
            class="margin-right-2 margin-bottom-1"
            label="Import the valid rows"
          >
            <button type="submit" class="usa-button">
              Import the {plural(summary.validRows, 'valid row', 'valid rows')}
            </button>
          </PostForm>
        ) : null}
        <PostForm action={`${base}/discard`} csrfToken={props.ctx.csrfToken} class="margin-bottom-1" label="Import nothing">
          <button type="submit" class="usa-button usa-button--outline">
            Import nothing
          </button>
        </PostForm>
      </div>
    </div>
  );
}

/** GET /admin/subscribers/import/:id: the counts, the choice, and the rejected lines a page at a time. */
export function ImportReportPage(props: {
  ctx: PageContext;
  summary: ImportSummary;
  rejections: RejectionPage;
  notice?: 'imported' | 'discarded' | undefined;
}) {
  const { summary, rejections } = props;
  return (
    <AdminLayout ctx={props.ctx} title="Import report">
      <ImportNav />
      <h1>Import report</h1>
      {props.notice === 'imported' && summary.status === 'imported' ? (
        <Alert type="success" heading="Imported">
          {plural(summary.importedRows, 'new subscriber', 'new subscribers')}
          {summary.pendingConfirmation ? ` (${count(summary.pendingConfirmation)} asked to confirm by e-mail)` : ''},{' '}
          {plural(summary.updatedRows, 'existing subscriber', 'existing subscribers')} given topics,{' '}
          {plural(summary.skippedRows, 'row', 'rows')} skipped.
        </Alert>
      ) : null}
      {props.notice === 'discarded' && summary.status === 'discarded' ? (
        <Alert type="info" heading="Nothing imported">
          No subscriber was added or changed. The addresses read from the file have been deleted.
        </Alert>
      ) : null}
      {summary.status === 'failed' ? (
        <Alert type="error" heading="The file was refused">
          {summary.error ?? 'The file could not be checked.'} Nothing from it was kept.
        </Alert>
      ) : null}
      <Counts summary={summary} />
      {summary.status === 'ready' ? <Choice ctx={props.ctx} summary={summary} /> : null}
      {summary.status === 'failed' || summary.status === 'imported' || summary.status === 'discarded' ? (
        <p>
          <a class="usa-button usa-button--outline" href="/admin/subscribers/import">
            Check another file
          </a>
        </p>
      ) : null}
      {summary.rejectedRows > 0 ? (
        <>
          <h2>Rejected lines</h2>
          <table class="usa-table usa-table--borderless width-full">
            <caption class="text-left">
              {plural(summary.rejectedRows, 'line was', 'lines were')} rejected
              {rejections.pageCount > 1 ? ` (page ${rejections.page} of ${rejections.pageCount})` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {rejections.rejections.map((r) => (
                <tr>
                  <th scope="row">{r.line}</th>
                  <td class="text-break-word">{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination
            basePath={`/admin/subscribers/import/${summary.id}`}
            page={rejections.page}
            pageCount={rejections.pageCount}
            label="Pages of rejected lines"
          />
        </>
      ) : null}
    </AdminLayout>
  );
}

/** GET /admin/subscribers/imports: the newest imports and what became of them. */
export function ImportListPage(props: { ctx: PageContext; imports: ImportSummary[] }) {
  return (
    <AdminLayout ctx={props.ctx} title="Recent imports">
      <ImportNav />
      <h1>Recent imports</h1>
      {props.imports.length === 0 ? (
        <p>No file has been imported yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="text-left">The newest imports first</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col">Lines</th>
              <th scope="col">Rejected</th>
              <th scope="col">By</th>
              <th scope="col">Checked</th>
            </tr>
          </thead>
          <tbody>
            {props.imports.map((i) => (
              <tr>
                <th scope="row" class="text-break-word">
                  <a href={`/admin/subscribers/import/${i.id}`}>{i.fileName}</a>
                </th>
                <td>{IMPORT_STATUS_LABELS[i.status]}</td>
                <td>{count(i.totalRows)}</td>
                <td>{count(i.rejectedRows)}</td>
                <td class="text-break-all">{i.createdBy}</td>
                <td>{utc(i.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}
