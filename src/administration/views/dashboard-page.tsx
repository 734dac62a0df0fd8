import type { PageContext } from '../../platform/views/page-context.ts';
import { AdminLayout } from './admin-layout.tsx';

/** The admin landing page: who you are and where things are. */
export function DashboardPage(props: { ctx: PageContext; counts: { staff: number; mail: number; mailKind: string; database: string } }) {
  return (
    <AdminLayout ctx={props.ctx} title="Overview">
      <h1>Administration</h1>
      <p class="usa-intro">Signed in as {props.ctx.viewer?.displayName}.</p>
      <ul class="usa-list">
        <li>
          <a href="/admin/users">Staff accounts</a>: {props.counts.staff}
        </li>
        <li>
          Outgoing mail goes to{' '}
          {props.counts.mailKind === 'smtp' ? 'the SMTP server in SMTP_URL' : <a href="/admin/mail">the dev mailbox</a>}
          {props.counts.mailKind === 'smtp' ? '' : ` (${props.counts.mail} ${props.counts.mail === 1 ? 'message' : 'messages'})`}.
        </li>
        <li>Database: {props.counts.database === 'postgres' ? 'PostgreSQL' : 'SQLite'}.</li>
      </ul>
    </AdminLayout>
  );
}
