import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { ContactStatus } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { PostForm, SelectField } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { CONTACT_STATUS_LABELS, CONTACT_STATUSES, type ContactStatusFilter } from '../contact-status.ts';
import type { ContactMessage } from '../get-contact-message.ts';
import type { ContactMessagePage } from '../list-contact-messages.ts';

const when = (at: string) => at.replace('T', ' ').slice(0, 16);

/** The Contact Us inbox: a status filter (a plain GET form) and one page of messages, newest first. */
export function ContactInboxPage(props: { ctx: PageContext; status: ContactStatusFilter; list: ContactMessagePage }) {
  const { list } = props;
  const all = CONTACT_STATUSES.reduce((sum, s) => sum + list.counts[s], 0);
  const options = [
    ...CONTACT_STATUSES.map((s) => ({ value: s, label: `${CONTACT_STATUS_LABELS[s]} (${list.counts[s]})` })),
    { value: 'all', label: `All messages (${all})` },
  ];
  const shown = props.status === 'all' ? 'all messages' : `messages marked ${CONTACT_STATUS_LABELS[props.status].toLowerCase()}`;
  return (
    <AdminLayout ctx={props.ctx} title="Contact inbox">
      <h1>Contact inbox</h1>
      <p>Messages sent through the public Contact Us form. Each one was also e-mailed to the editorial board.</p>
      <form class="usa-form" method="get" action="/admin/contact" aria-label="Filter messages">
        <SelectField name="status" label="Show" options={options} value={props.status} />
        <button type="submit" class="usa-button usa-button--outline margin-top-2">
          Show messages
        </button>
      </form>
      {list.messages.length === 0 ? (
        <p class="margin-top-4">No {shown} here.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full margin-top-4">
          <caption class="text-left">
            {list.total} {list.total === 1 ? 'message' : 'messages'}: {shown}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Received (UTC)</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.messages.map((m) => (
              <tr>
                <td>
                  <time dateTime={m.created_at}>{when(m.created_at)}</time>
                </td>
                <td>
                  {m.name ? (
                    <>
                      {m.name}
                      <br />
                    </>
                  ) : null}
                  <span class="text-break-all">{m.email}</span>
                </td>
                <td>
                  <a href={`/admin/contact/${m.id}`}>{m.subject}</a>
                </td>
                <td>{CONTACT_STATUS_LABELS[m.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        basePath="/admin/contact"
        params={{ status: props.status }}
        page={list.page}
        pageCount={list.pageCount}
        label="Inbox pages"
      />
    </AdminLayout>
  );
}

/** The message text as paragraphs and line breaks; preact escapes every piece of it. */
function MessageText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph) => (
        <p>
          {paragraph.split('\n').map((line, i) => (
            <>
              {i > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

/** One message, a link to answer it by e-mail, and the form that changes its status. */
export function ContactMessagePageView(props: { ctx: PageContext; message: ContactMessage; changedTo?: ContactStatus | undefined }) {
  const { message } = props;
  const reply = `mailto:${message.email}?subject=${encodeURIComponent(`Re: ${message.subject}`)}`;
  return (
    <AdminLayout ctx={props.ctx} title={`Message: ${message.subject}`}>
      <p>
        <a href="/admin/contact">Back to the inbox</a>
      </p>
      {props.changedTo ? (
        <Alert type="success" slim>
          Marked as {CONTACT_STATUS_LABELS[props.changedTo].toLowerCase()}.
        </Alert>
      ) : null}
      <h1 class="text-break-word">{message.subject}</h1>
      <dl>
        <dt class="text-bold">From</dt>
        <dd class="margin-left-0 margin-bottom-1">
          {message.name ? `${message.name} ` : ''}
          <span class="text-break-all">&lt;{message.email}&gt;</span>
        </dd>
        <dt class="text-bold">Received (UTC)</dt>
        <dd class="margin-left-0 margin-bottom-1">
          <time dateTime={message.created_at}>{when(message.created_at)}</time>
        </dd>
        <dt class="text-bold">Status</dt>
        <dd class="margin-left-0 margin-bottom-1">{CONTACT_STATUS_LABELS[message.status]}</dd>
      </dl>
      <h2>Message</h2>
      <div class="text-break-word border-left-05 border-base-lighter padding-left-2">
        <MessageText text={message.message} />
      </div>
      <p>
        <a class="usa-button" href={reply}>
          Reply by e-mail
        </a>
      </p>
      <h2>Status</h2>
      <PostForm action={`/admin/contact/${message.id}/status`} csrfToken={props.ctx.csrfToken} label="Change the status">
        <SelectField
          name="status"
          label="New status"
          hint="Mark the message answered once you have replied, or archived to keep it out of the new messages."
          options={CONTACT_STATUSES.map((s) => ({ value: s, label: CONTACT_STATUS_LABELS[s] }))}
          value={message.status}
        />
        <button type="submit" class="usa-button usa-button--outline margin-top-2">
          Change status
        </button>
      </PostForm>
    </AdminLayout>
  );
}
