import { domainToUnicode } from 'node:url';
import type { ComponentChildren } from 'preact';
import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { Subscriber } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { PostForm } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { SubscriberRecord } from '../get-subscriber-record.ts';
import { eventActorText, eventDetailLines, eventKindText } from '../history-text.ts';
import { DELIVERY_LABELS, STATUS_MEANINGS, SUPPRESSION_LABELS } from '../labels.ts';
import { Notice, when } from './parts.tsx';

const subscriberPath = (subscriber: Pick<Subscriber, 'id'>) => `/admin/subscribers/${subscriber.id}`;

function BackToSubscribers() {
  return (
    <p class="margin-top-0">
      <a href="/admin/subscribers">Subscribers</a>
    </p>
  );
}

/** The address as a person would write it, when its domain is internationalised (stored as punycode). */
function unicodeForm(email: string): string | null {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (!domain.split('.').some((label) => label.startsWith('xn--'))) return null;
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? `${email.slice(0, at)}@${unicode}` : null;
}

function Fact(props: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt class="text-bold">{props.term}</dt>
      <dd class="margin-left-0 margin-bottom-2">{props.children}</dd>
    </>
  );
}

const Time = ({ at, none }: { at: string | null; none: string }) => (at ? <time dateTime={at}>{when(at)}</time> : none);

function ConsentEvidence({ subscriber }: { subscriber: Subscriber }) {
  return (
    <dl>
      <Fact term="Given">
        <Time at={subscriber.consent_at} none="No consent recorded: imported without a consent date, so asked to confirm." />
      </Fact>
      <Fact term="Source">
        <span class="text-break-all">{subscriber.consent_source}</span>
      </Fact>
      <Fact term="IP address">
        {subscriber.consent_ip_hash ? 'Recorded as a keyed hash (the address itself is never stored).' : 'Not recorded.'}
      </Fact>
      <Fact term="Browser (user agent)">
        {subscriber.consent_user_agent ? <span class="text-break-all">{subscriber.consent_user_agent}</span> : 'Not recorded.'}
      </Fact>
    </dl>
  );
}

function Memberships({ record }: { record: SubscriberRecord }) {
  if (record.memberships.length === 0) return <p>No topics.</p>;
  return (
    <table class="usa-table usa-table--borderless usa-table--compact width-full">
      <caption class="usa-sr-only">Topics and how often each is sent</caption>
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col">Gets</th>
          <th scope="col">Since</th>
        </tr>
      </thead>
      <tbody>
        {record.memberships.map((m) => (
          <tr>
            <th scope="row">
              {m.name}
              {m.visibility === 'private' ? <span class="usa-tag margin-left-1">Private</span> : null}
            </th>
            <td>{DELIVERY_LABELS[m.frequency] ?? m.frequency}</td>
            <td>
              <time dateTime={m.since}>{when(m.since)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function History({ record }: { record: SubscriberRecord }) {
  const { history, subscriber } = record;
  if (history.total === 0) return <p>No history recorded.</p>;
  return (
    <>
      <table class="usa-table usa-table--borderless usa-table--compact width-full">
        <caption class="text-left">
          {history.total === 1 ? '1 event' : `${history.total.toLocaleString('en-US')} events`}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">By</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {history.events.map((event) => {
            const lines = eventDetailLines(event.details);
            return (
              <tr>
                <td>
                  <time dateTime={event.at}>{when(event.at)}</time>
                </td>
                <td>{eventKindText(event.kind)}</td>
                <td class="text-break-all">{eventActorText(event.actor)}</td>
                <td class="text-break-word">
                  {lines.length === 0 ? (
                    '—'
                  ) : (
                    <ul class="usa-list usa-list--unstyled">
                      {lines.map((line) => (
                        <li>
                          {line.label}: {line.value}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pagination basePath={subscriberPath(subscriber)} page={history.page} pageCount={history.pageCount} label="History pages" />
    </>
  );
}

/** One subscriber: status, consent evidence, topics, history, and what staff can do. */
export function SubscriberPage(props: { ctx: PageContext; record: SubscriberRecord; notice?: string | undefined }) {
  const { record, ctx } = props;
  const { subscriber } = record;
  const unicode = unicodeForm(subscriber.email);
  return (
    <AdminLayout ctx={ctx} title={`Subscriber ${subscriber.email}`}>
      <BackToSubscribers />
      <h1 class="text-break-all">{subscriber.email}</h1>
      {unicode ? <p class="text-break-all">Written with its international domain: {unicode}</p> : null}
      <Notice text={props.notice} />
      {record.suppression ? (
        <div class="margin-bottom-3">
          <Alert type="warning" slim>
            This address is on the suppression list ({SUPPRESSION_LABELS[record.suppression].toLowerCase()}).{' '}
            {record.suppression === 'deleted'
              ? 'The person deleted an earlier subscription; no import re-adds the address.'
              : 'Dispatch never mails it, not even a confirmation.'}
          </Alert>
        </div>
      ) : null}
      <dl>
        <Fact term="Status">{STATUS_MEANINGS[subscriber.status] ?? subscriber.status}</Fact>
        <Fact term="Added">
          <Time at={subscriber.created_at} none="—" />
        </Fact>
        <Fact term="Confirmed">
          <Time at={subscriber.confirmed_at} none="Not confirmed." />
        </Fact>
        <Fact term="Unsubscribed">
          <Time at={subscriber.unsubscribed_at} none="Never." />
        </Fact>
      </dl>

      <h2>Consent evidence</h2>
      <ConsentEvidence subscriber={subscriber} />

      <h2>Topics</h2>
      <Memberships record={record} />

      <h2>History</h2>
      <History record={record} />

      <section aria-labelledby="actions-heading" class="margin-top-5">
        <h2 id="actions-heading">Actions</h2>
        {subscriber.status === 'unsubscribed' ? (
          <p>Already unsubscribed: Dispatch sends this address nothing.</p>
        ) : (
          <PostForm
            action={`${subscriberPath(subscriber)}/unsubscribe`}
            csrfToken={ctx.csrfToken}
            label="Unsubscribe"
            class="margin-bottom-3"
          >
            <p>Stops every mail to this address. Their topics are kept; they can subscribe again themselves.</p>
            <button type="submit" class="usa-button usa-button--outline">
              Unsubscribe
            </button>
          </PostForm>
        )}
        <p>
          <strong>Suppress</strong> when the address must never be mailed again (for example at the owner’s written request or after abuse).{' '}
          <strong>Delete subscriber</strong> removes the address and its history, as the person’s own “delete me” does.
        </p>
        <ul class="usa-button-group">
          <li class="usa-button-group__item">
            <a class="usa-button usa-button--secondary" href={`${subscriberPath(subscriber)}/suppress`}>
              Suppress
            </a>
          </li>
          <li class="usa-button-group__item">
            <a class="usa-button usa-button--secondary" href={`${subscriberPath(subscriber)}/delete`}>
              Delete subscriber
            </a>
          </li>
        </ul>
      </section>
    </AdminLayout>
  );
}

export type SubscriberAction = 'suppress' | 'delete';

const CONFIRMATIONS: Record<SubscriberAction, { heading: string; explanation: string; button: string }> = {
  suppress: {
    heading: 'Suppress this address?',
    explanation:
      'The subscriber becomes unsubscribed and the address goes on the suppression list: Dispatch will never mail it again, not even a confirmation, and no import will add it back. Their history is kept.',
    button: 'Suppress',
  },
  delete: {
    heading: 'Delete this subscriber?',
    explanation:
      'The address, its topics and its whole history are removed, as when the person uses “delete me”. Only a keyed hash of the address stays, so an import cannot add it back; the person can still subscribe again themselves. This cannot be undone.',
    button: 'Delete subscriber',
  },
};

/** The confirmation step before suppressing or deleting a subscriber. */
export function SubscriberActionPage(props: { ctx: PageContext; subscriber: Subscriber; action: SubscriberAction }) {
  const { subscriber, ctx } = props;
  const text = CONFIRMATIONS[props.action];
  return (
    <AdminLayout ctx={ctx} title={`${text.heading} ${subscriber.email}`}>
      <p class="margin-top-0">
        <a href={subscriberPath(subscriber)}>Back to the subscriber</a>
      </p>
      <h1>{text.heading}</h1>
      <p class="text-break-all text-bold">{subscriber.email}</p>
      <p>{text.explanation}</p>
      <PostForm action={`${subscriberPath(subscriber)}/${props.action}`} csrfToken={ctx.csrfToken} label={text.button} class="">
        <button type="submit" class="usa-button usa-button--secondary">
          {text.button}
        </button>
        <a class="usa-button usa-button--unstyled margin-left-2" href={subscriberPath(subscriber)}>
          Cancel
        </a>
      </PostForm>
    </AdminLayout>
  );
}
