import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import type { SubscriptionTopic } from '../../../platform/db/schema.ts';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, SelectField, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { DISPATCH_TOPIC_SLUG, TOPIC_FREQUENCY_LABELS } from '../../topics.ts';
import type { TopicDeletionBlock } from '../delete-subscription-topic.ts';
import { VISIBILITY_LABELS } from '../labels.ts';
import type { TopicWithCounts } from '../list-topics-with-counts.ts';
import { TOPIC_FIELD_LIMITS, TOPIC_SLUG_HINT, type TopicForm } from '../topic-form.ts';
import { Notice, RadioGroup } from './parts.tsx';

const TOPICS_PATH = '/admin/subscriptions/topics';
const number = (n: number) => n.toLocaleString('en-US');

function BackToTopics() {
  return (
    <p class="margin-top-0">
      <a href={TOPICS_PATH}>Subscription topics</a>
    </p>
  );
}

/** The topics people subscribe to, with how many have each. */
export function TopicListPage(props: { ctx: PageContext; topics: TopicWithCounts[]; notice?: string | undefined }) {
  return (
    <AdminLayout ctx={props.ctx} title="Subscription topics">
      <h1>Subscription topics</h1>
      <Notice text={props.notice} />
      <p>
        People choose topics when they subscribe. Public topics are listed on the subscribe page; private ones only staff and imports can
        add people to. Counts and the growth chart are on the <a href="/admin/subscribers">subscribers page</a>.
      </p>
      <p>
        <a class="usa-button" href={`${TOPICS_PATH}/new`}>
          New topic
        </a>
      </p>
      <table class="usa-table usa-table--borderless width-full">
        <caption class="text-left">Topics in the order the subscribe page lists them</caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col">Slug</th>
            <th scope="col">Frequency</th>
            <th scope="col">Visibility</th>
            <th scope="col" class="text-right">
              Active subscribers
            </th>
            <th scope="col" class="text-right">
              All subscribers
            </th>
          </tr>
        </thead>
        <tbody>
          {props.topics.map(({ topic, counts }) => (
            <tr>
              <th scope="row">
                <a href={`${TOPICS_PATH}/${topic.id}`}>{topic.name}</a>
              </th>
              <td class="text-break-all">{topic.slug}</td>
              <td>{TOPIC_FREQUENCY_LABELS[topic.frequency] ?? topic.frequency}</td>
              <td>{topic.visibility === 'private' ? 'Private' : 'Public'}</td>
              <td class="text-right">{number(counts.active)}</td>
              <td class="text-right">{number(counts.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="usa-hint">“All subscribers” counts everyone with the topic, including people who are pending, paused or unsubscribed.</p>
    </AdminLayout>
  );
}

/** New and edit topic pages. */
export function TopicFormPage(props: {
  ctx: PageContext;
  topic: SubscriptionTopic | null;
  form: TopicForm;
  errors?: Record<string, string> | undefined;
  notice?: string | undefined;
}) {
  const { topic, form, ctx } = props;
  const errors = props.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const heading = topic ? `Edit topic “${topic.name}”` : 'New topic';
  const isDispatch = topic?.slug === DISPATCH_TOPIC_SLUG;
  const action = topic ? `${TOPICS_PATH}/${topic.id}` : `${TOPICS_PATH}/new`;
  return (
    <AdminLayout ctx={ctx} title={failed ? `Error: ${heading}` : heading}>
      <BackToTopics />
      <h1 class="text-break-word">{heading}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={errors} />
      <PostForm action={action} csrfToken={ctx.csrfToken} label={topic ? 'Edit topic' : 'New topic'} class="usa-form usa-form--large">
        <TextField name="name" label="Name" value={form.name} error={errors.name} maxLength={TOPIC_FIELD_LIMITS.name} />
        {isDispatch ? (
          <div class="usa-form-group">
            <label class="usa-label" for="field-slug">
              Slug
            </label>
            <div class="usa-hint" id="field-slug-hint">
              The Dispatch topic’s slug cannot change.
            </div>
            {errors.slug ? (
              <span class="usa-error-message" id="field-slug-error" role="alert">
                <span class="usa-sr-only">Error:</span> {errors.slug}
              </span>
            ) : null}
            <input
              class="usa-input"
              id="field-slug"
              name="slug"
              type="text"
              value={DISPATCH_TOPIC_SLUG}
              readOnly
              aria-describedby={errors.slug ? 'field-slug-hint field-slug-error' : 'field-slug-hint'}
            />
          </div>
        ) : (
          <TextField
            name="slug"
            label="Slug"
            hint={TOPIC_SLUG_HINT}
            value={form.slug}
            error={errors.slug}
            required={false}
            maxLength={TOPIC_FIELD_LIMITS.slug}
            spellcheck={false}
          />
        )}
        <TextAreaField
          name="description"
          label="Description"
          hint="What the topic covers, as subscribers see it on the subscribe page."
          value={form.description}
          error={errors.description}
          rows={3}
          required={false}
        />
        <SelectField
          name="frequency"
          label="Frequency"
          hint="How often the topic sends, as the subscribe page says."
          options={Object.entries(TOPIC_FREQUENCY_LABELS).map(([value, label]) => ({ value, label }))}
          value={form.frequency}
          error={errors.frequency}
        />
        <RadioGroup
          name="visibility"
          legend="Visibility"
          options={Object.entries(VISIBILITY_LABELS).map(([value, label]) => ({ value, label }))}
          value={form.visibility}
          error={errors.visibility}
          hint={
            isDispatch
              ? 'The Dispatch topic is always public.'
              : 'People who already have a topic keep it when it becomes private; they can no longer change it themselves.'
          }
        />
        <TextField
          name="position"
          label="Position"
          hint="Topics are listed from the lowest number up; topics with the same number by name."
          value={form.position}
          error={errors.position}
          inputMode="numeric"
          maxLength={4}
        />
        <button type="submit" class="usa-button margin-top-3">
          {topic ? 'Save changes' : 'Add topic'}
        </button>
      </PostForm>
      {topic && !isDispatch ? (
        <section aria-labelledby="delete-heading" class="margin-top-6">
          <h2 id="delete-heading">Delete this topic</h2>
          <p>A topic can be deleted only while nobody has it.</p>
          <a class="usa-button usa-button--secondary" href={`${TOPICS_PATH}/${topic.id}/delete`}>
            Delete topic…
          </a>
        </section>
      ) : null}
    </AdminLayout>
  );
}

/**
 * The delete confirmation: a button when the topic can go, otherwise the reason and what to do
 * instead (shown with 409 when a delete was posted anyway).
 */
export function TopicDeletePage(props: { ctx: PageContext; topic: SubscriptionTopic; block: TopicDeletionBlock }) {
  const { topic, block, ctx } = props;
  const heading = `Delete topic “${topic.name}”`;
  return (
    <AdminLayout ctx={ctx} title={heading}>
      <BackToTopics />
      <h1 class="text-break-word">{heading}</h1>
      {block ? (
        <>
          <Alert type="error" heading="This topic cannot be deleted">
            {block.message}
          </Alert>
          <p class="margin-top-3">
            <a class="usa-button usa-button--outline" href={`${TOPICS_PATH}/${topic.id}`}>
              Edit the topic instead
            </a>
          </p>
        </>
      ) : (
        <>
          <p>Nobody has this topic, so deleting it changes no subscriber. It cannot be undone.</p>
          <PostForm action={`${TOPICS_PATH}/${topic.id}/delete`} csrfToken={ctx.csrfToken} label="Delete topic" class="">
            <button type="submit" class="usa-button usa-button--secondary">
              Delete topic
            </button>{' '}
            <a class="usa-button usa-button--unstyled margin-left-2" href={`${TOPICS_PATH}/${topic.id}`}>
              Keep it
            </a>
          </PostForm>
        </>
      )}
    </AdminLayout>
  );
}
