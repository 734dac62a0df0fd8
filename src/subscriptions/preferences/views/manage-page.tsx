import type { SubscriberStatus } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm } from '../../../platform/views/components/forms.tsx';
import { Layout } from '../../../platform/views/layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { TOPIC_FREQUENCY_LABELS } from '../../topics.ts';
import { DELETE_CONFIRMATION_FIELD, DELETE_CONFIRMATION_LABEL } from '../delete-subscriber.ts';
import type { PreferencesView, PublicTopicChoice } from '../load-preferences.ts';
import type { PreferencesAccess } from '../resolve-subscriber.ts';
import { canResume } from '../resume-email.ts';

/** Success notices after a change (POST, then a 303 back here with `?notice=`). */
export const MANAGE_PAGE_NOTICES = {
  saved: 'Your preferences have been saved.',
  paused: 'Your email is paused. Your topics are kept until you resume.',
  resumed: 'Your email has been resumed.',
  unsubscribed: 'You are unsubscribed from everything. We will send you no more email.',
} as const;
export type ManagePageNotice = keyof typeof MANAGE_PAGE_NOTICES;

const STATUS_WORDS: Record<SubscriberStatus, { label: string; explanation: string }> = {
  pending: {
    label: 'Waiting for your confirmation',
    explanation: 'You get no email until you confirm your address.',
  },
  active: { label: 'Active', explanation: 'You get email for the topics you chose below.' },
  paused: { label: 'Paused', explanation: 'You get no email until you resume. Your topics are kept.' },
  unsubscribed: { label: 'Unsubscribed', explanation: 'You get no email from us.' },
};

/** The hidden field that authorises a form posted from a page opened with a per-recipient link. */
function LinkField({ access }: { access: PreferencesAccess }) {
  return access.kind === 'link' ? <input type="hidden" name="link" value={access.link} /> : null;
}

function TopicChoice({ choice }: { choice: PublicTopicChoice }) {
  const { topic } = choice;
  const id = `topic-${topic.id}`;
  return (
    <li class="margin-bottom-3">
      <div class="usa-checkbox">
        <input
          class="usa-checkbox__input"
          id={id}
          type="checkbox"
          name="topics"
          value={topic.id}
          checked={choice.subscribed}
          aria-describedby={`${id}-description`}
        />
        <label class="usa-checkbox__label" for={id}>
          {topic.name}
        </label>
      </div>
      <p class="usa-hint margin-top-05 margin-left-4" id={`${id}-description`}>
        {topic.description ? `${topic.description} ` : ''}Sent: {TOPIC_FREQUENCY_LABELS[topic.frequency].toLowerCase()}.
      </p>
      <fieldset class="usa-fieldset margin-left-4">
        <legend class="usa-legend margin-top-1">
          How often<span class="usa-sr-only"> for {topic.name}</span>
        </legend>
        {(
          [
            ['every', 'Every bulletin'],
            ['digest', 'Monthly digest'],
          ] as const
        ).map(([value, label]) => (
          <div class="usa-radio">
            <input
              class="usa-radio__input"
              id={`frequency-${topic.id}-${value}`}
              type="radio"
              name={`frequency-${topic.id}`}
              value={value}
              checked={choice.frequency === value}
            />
            <label class="usa-radio__label" for={`frequency-${topic.id}-${value}`}>
              {label}
            </label>
          </div>
        ))}
      </fieldset>
    </li>
  );
}

/**
 * The subscription preferences of one subscriber, reached with a sign-in session or a signed
 * per-recipient link. Every form posts to /preferences/manage/… and carries the link, if any.
 */
export function ManagePreferencesPage(props: {
  ctx: PageContext;
  view: PreferencesView;
  access: PreferencesAccess;
  notice?: ManagePageNotice | undefined;
  errors?: Record<string, string> | undefined;
}) {
  const { ctx, view, access } = props;
  const { subscriber } = view;
  const errors = props.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const status = STATUS_WORDS[subscriber.status];
  const deleteError = errors[DELETE_CONFIRMATION_FIELD];
  return (
    <Layout ctx={ctx} title={failed ? 'Error: Your subscription' : 'Your subscription'}>
      <div class="grid-row">
        <div class="tablet:grid-col-10 desktop:grid-col-8">
          <h1>Your subscription</h1>
          <ErrorSummary fields={errors} />
          {props.notice ? (
            <div class="margin-bottom-3">
              <Alert type="success" slim>
                {MANAGE_PAGE_NOTICES[props.notice]}
              </Alert>
            </div>
          ) : null}
          {subscriber.status === 'pending' ? (
            <div class="margin-bottom-3">
              <Alert type="warning" heading="You still need to confirm your subscription">
                Open the link in the confirmation email we sent you and select Confirm. Until then you get no email. You can choose your
                topics now.
              </Alert>
            </div>
          ) : null}

          <dl class="preferences-summary">
            <dt class="text-bold">Email address</dt>
            <dd class="margin-left-0 margin-bottom-1">{subscriber.email}</dd>
            <dt class="text-bold">Status</dt>
            <dd class="margin-left-0">
              {status.label}. {status.explanation}
            </dd>
          </dl>

          <h2>Topics</h2>
          <PostForm action="/preferences/manage/topics" csrfToken={ctx.csrfToken} label="Your topics" class="usa-form usa-form--large">
            <LinkField access={access} />
            <fieldset class="usa-fieldset">
              <legend class="usa-legend">Choose the topics you want email about, and how often for each.</legend>
              <ul class="usa-list usa-list--unstyled margin-top-2">
                {view.topics.map((choice) => (
                  <TopicChoice choice={choice} />
                ))}
              </ul>
            </fieldset>
            <button type="submit" class="usa-button">
              Save preferences
            </button>
          </PostForm>

          {view.privateTopicNames.length > 0 ? (
            <>
              <h3>Other lists you are on</h3>
              <p>Our staff manage these lists. To leave one, use the unsubscribe link in its emails, or unsubscribe from everything.</p>
              <ul class="usa-list">
                {view.privateTopicNames.map((name) => (
                  <li>{name}</li>
                ))}
              </ul>
            </>
          ) : null}

          <h2>Pause or stop email</h2>
          {subscriber.status === 'active' ? (
            <PostForm action="/preferences/manage/pause" csrfToken={ctx.csrfToken} label="Pause all email">
              <LinkField access={access} />
              <p>Stop all email for a while and keep your topics.</p>
              <button type="submit" class="usa-button usa-button--outline">
                Pause all email
              </button>
            </PostForm>
          ) : null}
          {canResume(subscriber) ? (
            <PostForm action="/preferences/manage/resume" csrfToken={ctx.csrfToken} label="Resume email">
              <LinkField access={access} />
              <p>Get email again for the topics you chose.</p>
              <button type="submit" class="usa-button">
                Resume email
              </button>
            </PostForm>
          ) : null}
          {subscriber.status === 'unsubscribed' && !canResume(subscriber) ? (
            <p>
              To get email again, <a href="/subscribe">subscribe</a> and confirm your address.
            </p>
          ) : null}
          {subscriber.status !== 'unsubscribed' ? (
            <PostForm action="/preferences/manage/unsubscribe" csrfToken={ctx.csrfToken} label="Unsubscribe from everything">
              <LinkField access={access} />
              <p>Stop all email from us, from every topic and list.</p>
              <button type="submit" class="usa-button usa-button--secondary">
                Unsubscribe from everything
              </button>
            </PostForm>
          ) : null}

          <h2>Your data</h2>
          <PostForm action="/preferences/manage/export" csrfToken={ctx.csrfToken} label="Download my data">
            <LinkField access={access} />
            <p>A file (JSON) with everything we hold about your subscription: your address, topics, consent and history.</p>
            <button type="submit" class="usa-button usa-button--outline">
              Download my data
            </button>
          </PostForm>

          <h2>Delete your address</h2>
          <PostForm action="/preferences/manage/delete" csrfToken={ctx.csrfToken} label="Delete me">
            <LinkField access={access} />
            <p>
              This deletes your address, your topics and your history for good. We keep only a one-way code made from your address so it is
              never added back without your consent.
            </p>
            <div class={deleteError ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
              {deleteError ? (
                <span class="usa-error-message" id={`field-${DELETE_CONFIRMATION_FIELD}-error`} role="alert">
                  <span class="usa-sr-only">Error:</span> {deleteError}
                </span>
              ) : null}
              <div class="usa-checkbox">
                <input
                  class="usa-checkbox__input"
                  id={`field-${DELETE_CONFIRMATION_FIELD}`}
                  type="checkbox"
                  name={DELETE_CONFIRMATION_FIELD}
                  value="on"
                  required
                  aria-describedby={deleteError ? `field-${DELETE_CONFIRMATION_FIELD}-error` : undefined}
                  aria-invalid={deleteError ? 'true' : undefined}
                />
                <label class="usa-checkbox__label" for={`field-${DELETE_CONFIRMATION_FIELD}`}>
                  {DELETE_CONFIRMATION_LABEL}
                </label>
              </div>
            </div>
            <button type="submit" class="usa-button usa-button--secondary">
              Delete me
            </button>
          </PostForm>

          {access.kind === 'session' ? (
            <PostForm action="/preferences/manage/sign-out" csrfToken={ctx.csrfToken} label="Sign out" class="usa-form margin-top-5">
              <button type="submit" class="usa-button usa-button--unstyled">
                Sign out
              </button>
            </PostForm>
          ) : null}
        </div>
      </div>
    </Layout>
  );
}
