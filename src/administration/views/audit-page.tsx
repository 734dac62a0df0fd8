import { Pagination } from '../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { AdminLayout } from './admin-layout.tsx';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: string;
}

/** The append-only audit log, newest first. */
export function AuditPage(props: { ctx: PageContext; entries: AuditRow[]; page: number; pageCount: number }) {
  return (
    <AdminLayout ctx={props.ctx} title="Audit log">
      <h1>Audit log</h1>
      <p>Every sign-in, failed attempt, role change and content change, as recorded. Entries cannot be edited or removed.</p>
      <div class="usa-table-container--scrollable" tabindex={0}>
        <table class="usa-table usa-table--compact usa-table--striped">
          <caption class="usa-sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td>
                  <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.subject_type ? `${e.subject_type} ${e.subject_id ?? ''}` : ''}</td>
                <td>
                  <code class="font-mono-3xs">{e.details === '{}' ? '' : e.details}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination basePath="/admin/audit" page={props.page} pageCount={props.pageCount} label="Audit log pages" />
    </AdminLayout>
  );
}
