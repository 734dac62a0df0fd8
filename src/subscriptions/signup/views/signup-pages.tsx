import type { ComponentChildren } from 'preact';
import type { SubscriptionTopic } from '../../../platform/db/schema.ts';
import { ErrorSummary, PostForm, TextField } from '../../../platform/views/components/forms.tsx';
import { Layout } from '../../../platform/views/layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { TOPIC_FREQUENCY_LABELS } from '../../topics.ts';
import { CONFIRMATION_LINK_TTL_TEXT, type PublicSignupSource } from '../signup-rules.ts';

// The sign-up pages use the plain Layout, not the public frame: a subscribe box under the
// subscribe form would only repeat it.

function Column(props: { children: ComponentChildren }) {
  return (
    <div class="grid-row">
      <div class="tablet:grid-col-10 desktop:grid-col-8">{props.children}</div>
    </div>
  );
}

const howOften = (topic: SubscriptionTopic) => TOPIC_FREQUENCY_LABELS[topic.frequency];

/** "Name (how often)" items for the confirmation pages. */
function TopicList({ topics }: { topics: SubscriptionTopic[] }) {
  return (
    <ul class="usa-list">
      {topics.map((topic) => (
        <li>
          <strong>{topic.name}</strong> <span class="text-base-dark">({howOften(topic).toLowerCase()})</span>
        </li>
      ))}
    </ul>
  );
}

export interface SubscribeFormValues {
  email?: string | undefined;
  /** Ids of the topics to show checked. */
  topicIds: string[];
  source: PublicSignupSource;
}

/**
 * One checkbox per public topic, labelled with its name; the description and how often it sends
 * are a hint tied to the box. The first box has the id the error summary links to.
 */
function TopicsFieldset(props: { topics: SubscriptionTopic[]; checked: string[]; error?: string | undefined }) {
  const checked = new Set(props.checked);
  const errorId = props.error ? 'topics-error' : undefined;
  return (
    <div class={props.error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <fieldset class="usa-fieldset" aria-describedby={['topics-hint', errorId].filter(Boolean).join(' ')}>
        <legend class="usa-legend usa-legend--large">Topics</legend>
        <div class="usa-hint" id="topics-hint">
          Choose one or more. You can change them at any time.
        </div>
        {props.error ? (
          <span class="usa-error-message" id={errorId} role="alert">
            <span class="usa-sr-only">Error:</span> {props.error}
          </span>
        ) : null}
        {props.topics.map((topic, index) => {
          const id = index === 0 ? 'field-topics' : `field-topics-${index + 1}`;
          return (
            <div class="usa-checkbox subscribe-topic">
              <input
                class="usa-checkbox__input"
                id={id}
                type="checkbox"
                name="topics"
                value={topic.id}
                checked={checked.has(topic.id)}
                aria-describedby={`${id}-hint`}
              />
              <label class="usa-checkbox__label" for={id}>
                {topic.name}
              </label>
              <div class="usa-hint subscribe-topic__hint" id={`${id}-hint`}>
                {topic.description ? `${topic.description} ` : ''}How often: {howOften(topic).toLowerCase()}.
              </div>
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

/** What is kept and why; subscriber lists of a public body may be public records. */
function PrivacyNotice() {
  return (
    <section class="margin-top-4" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading" class="font-heading-md">
        Your privacy
      </h2>
      <ul class="usa-list">
        <li>
          We keep your e-mail address, your topics and how often you want them, and proof that you asked and confirmed: the time, this page,
          your browser's name and a scrambled (hashed) form of your internet address.
        </li>
        <li>We use your address only to send the updates you choose. We do not track whether you open our e-mails or click links.</li>
        <li>E-mail addresses given to a government office can be public records, which the law may require us to disclose on request.</li>
        <li>
          Every e-mail has a link to change your topics or leave. You can also leave, or delete your address and its history, from your{' '}
          <a href="/preferences">subscriber preferences</a>.
        </li>
      </ul>
    </section>
  );
}

/** `/subscribe`: the address, the topics, the privacy notice and the button. */
export function SubscribePage(props: {
  ctx: PageContext;
  topics: SubscriptionTopic[];
  values: SubscribeFormValues;
  errors: Record<string, string>;
}) {
  const { values, errors } = props;
  const failed = Object.keys(errors).length > 0;
  return (
    <Layout ctx={props.ctx} title={failed ? 'Error: Subscribe to Email Updates' : 'Subscribe to Email Updates'}>
      <Column>
        <h1>Subscribe to Email Updates</h1>
        <p class="usa-intro">
          Get the {props.ctx.settings.siteName} and other updates by e-mail. We will send you a link to confirm that the address is yours;
          nothing is sent until you confirm.
        </p>
        <ErrorSummary fields={errors} />
        <PostForm action="/subscribe" csrfToken={props.ctx.csrfToken} label="Subscribe to Email Updates" class="usa-form usa-form--large">
          <input type="hidden" name="source" value={values.source} />
          <TextField
            name="email"
            label="Email address"
            hint="For example, name@example.gov"
            type="email"
            value={values.email}
            error={errors.email}
            autocomplete="email"
            maxLength={254}
            spellcheck={false}
          />
          <TopicsFieldset topics={props.topics} checked={values.topicIds} error={errors.topics} />
          <PrivacyNotice />
          <button type="submit" class="usa-button margin-top-2">
            Subscribe
          </button>
        </PostForm>
        <p class="margin-top-4">
          Already subscribed? <a href="/preferences">Manage your subscriber preferences</a>.
        </p>
      </Column>
    </Layout>
  );
}

/**
 * The answer to every valid sign-up, whatever is known about the address: it must read the same
 * for a new address, a subscriber, someone who left and a suppressed address, so it promises
 * nothing that depends on which one it is.
 */
export function CheckEmailPage(props: { ctx: PageContext; email: string }) {
  return (
    <Layout ctx={props.ctx} title="Check your email">
      <Column>
        <h1>Check your email</h1>
        <p class="usa-intro">
          If <strong>{props.email}</strong> can receive our e-mail, a message with a link to confirm your subscription is on its way.
        </p>
        <p>
          Open the link within {CONFIRMATION_LINK_TTL_TEXT} and press “Confirm subscription”. Until you confirm, nothing changes and we send
          you no updates.
        </p>
        <p>If the message has not arrived in a few minutes, look in your spam or junk folder.</p>
        <p>
          Mistyped the address? <a href="/subscribe">Subscribe again</a>.
        </p>
      </Column>
    </Layout>
  );
}

/** `GET /subscribe/confirm/:token`: what confirming will do, and the button that does it. */
export function ConfirmPage(props: { ctx: PageContext; token: string; email: string; topics: SubscriptionTopic[] }) {
  return (
    <Layout ctx={props.ctx} title="Confirm your subscription">
      <Column>
        <h1>Confirm your subscription</h1>
        <p class="usa-intro">
          Press the button to start e-mail updates to <strong>{props.email}</strong>.
        </p>
        <h2>Topics</h2>
        {props.topics.length > 0 ? (
          <TopicList topics={props.topics} />
        ) : (
          <p>The topics you chose are no longer offered. You can choose others in your subscriber preferences.</p>
        )}
        <PostForm action={`/subscribe/confirm/${props.token}`} csrfToken={props.ctx.csrfToken} label="Confirm your subscription">
          <button type="submit" class="usa-button">
            Confirm subscription
          </button>
        </PostForm>
        <p class="margin-top-3">If you did not ask for this, close this page and nothing will happen.</p>
      </Column>
    </Layout>
  );
}

/** After confirming: the topics the subscriber now gets, and the way to their preferences. */
export function ConfirmedPage(props: { ctx: PageContext; email: string; topics: SubscriptionTopic[]; preferencesUrl: string }) {
  return (
    <Layout ctx={props.ctx} title="You're subscribed">
      <Column>
        <h1>You're subscribed</h1>
        <p class="usa-intro">
          E-mail updates will go to <strong>{props.email}</strong>.
        </p>
        <h2>Your topics</h2>
        {props.topics.length > 0 ? <TopicList topics={props.topics} /> : <p>You have no topics yet.</p>}
        <p>
          Every e-mail we send has a link to change your topics or leave.{' '}
          <a class="usa-link" href={props.preferencesUrl}>
            Manage your preferences
          </a>
        </p>
      </Column>
    </Layout>
  );
}

/** A confirmation link that is malformed, unknown, expired or used: the page never says which. */
export function InvalidLinkPage(props: { ctx: PageContext }) {
  return (
    <Layout ctx={props.ctx} title="This link is not valid">
      <Column>
        <h1>This link is not valid</h1>
        <p class="usa-intro">
          The link may have expired (confirmation links work for {CONFIRMATION_LINK_TTL_TEXT}), or it may have been used already.
        </p>
        <p>
          If you are not subscribed yet, <a href="/subscribe">subscribe again</a> and we will send you a new link. If you already confirmed,
          you do not need to do anything.
        </p>
      </Column>
    </Layout>
  );
}
