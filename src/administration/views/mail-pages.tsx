import type { DevMailSummary, ParsedDevMail } from '../../platform/mail/dev-mailbox.ts';
import { Alert } from '../../platform/views/components/alert.tsx';
import { Pagination } from '../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { AdminLayout } from './admin-layout.tsx';

/** The dev mailbox: every message Dispatch would have sent, newest first. */
export function MailboxPage(props: { ctx: PageContext; messages: DevMailSummary[]; page: number; pageCount: number; smtp: boolean }) {
  return (
    <AdminLayout ctx={props.ctx} title="Dev mailbox">
      <h1>Dev mailbox</h1>
      {props.smtp ? (
        <Alert type="info" slim>
          SMTP_URL is set, so new mail goes to that server. This list shows what was captured before.
        </Alert>
      ) : (
        <p>No SMTP_URL is set, so Dispatch keeps outgoing mail here instead of sending it.</p>
      )}
      {props.messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">Captured messages, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Received (UTC)</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {props.messages.map((m) => (
              <tr>
                <td>
                  <time dateTime={m.created_at}>{m.created_at.replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>{m.recipients}</td>
                <td>
                  <a href={`/admin/mail/${m.id}`}>{m.subject || '(no subject)'}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination basePath="/admin/mail" page={props.page} pageCount={props.pageCount} label="Mailbox pages" />
    </AdminLayout>
  );
}

/** One captured message: headers, the text part, the HTML part in a sandboxed frame, and the .eml. */
export function MailMessagePage(props: { ctx: PageContext; id: number; message: ParsedDevMail }) {
  const { message } = props;
  return (
    <AdminLayout ctx={props.ctx} title={message.subject || 'Message'}>
      <p>
        <a href="/admin/mail">Back to the mailbox</a>
      </p>
      <h1>{message.subject || '(no subject)'}</h1>
      <p>
        <a class="usa-button usa-button--outline" href={`/admin/mail/${props.id}.eml`} download>
          Download .eml
        </a>
      </p>
      <h2>Headers</h2>
      <table class="usa-table usa-table--compact usa-table--borderless">
        <caption class="usa-sr-only">Message headers</caption>
        <tbody>
          {message.headers.map(([name, value]) => (
            <tr>
              <th scope="row">{name}</th>
              <td class="text-break-all">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Plain text</h2>
      <pre class="mail-raw">{message.text ?? '(no text part)'}</pre>
      {message.html !== undefined ? (
        <>
          <h2>HTML</h2>
          {/* Served with a sandbox CSP from its own URL: the message's markup cannot run script here. */}
          <iframe
            title="HTML part of the message"
            src={`/admin/mail/${props.id}/html`}
            sandbox=""
            class="width-full border-1px border-base-lighter"
            height="600"
          />
        </>
      ) : null}
    </AdminLayout>
  );
}
