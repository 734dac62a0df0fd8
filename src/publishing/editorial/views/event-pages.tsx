import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, SelectField, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { EVENT_KINDS, type EventForm } from '../events/event-form.ts';
import type { EventRow, listEvents } from '../events/event-queries.ts';
import { PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { SIMPLE_STATUS_OPTIONS } from '../shared/simple-status.ts';
import { SLUG_HINT } from '../shared/slug.ts';
import type { TopicOption } from '../shared/topic-links.ts';
import { EVENT_TIME_ZONES } from '../shared/zoned-time.ts';
import { InputField, TopicCheckboxes } from './fields.tsx';
import { EditorialListPage } from './list-page.tsx';
import { Notice, StatusTag, When } from './parts.tsx';

type ListRow = Awaited<ReturnType<typeof listEvents>>['rows'][number];
const kindLabel = (kind: string) => EVENT_KINDS.find((k) => k.value === kind)?.label ?? kind;
export const simpleStateLabel = (status: string) => (status === 'published' ? 'Published' : 'Draft');

/** Events, latest first. */
export function EventListPage(props: { ctx: PageContext; rows: ListRow[]; page: number; pageCount: number; notice?: string | undefined }) {
  return (
    <EditorialListPage
      {...props}
      title="Events"
      basePath="/admin/events"
      newLabel="New event"
      caption="Events, latest first"
      name={{ header: 'Event', text: (row) => row.title }}
      columns={[
        { header: 'Kind', cell: (row) => kindLabel(row.kind) },
        { header: 'Starts', cell: (row) => <When at={row.starts_at} timeZone={row.time_zone} /> },
        { header: 'State', cell: (row) => <StatusTag label={simpleStateLabel(row.status)} /> },
      ]}
    />
  );
}

/** New and edit event pages. */
export function EventFormPage(props: {
  ctx: PageContext;
  event: EventRow | null;
  form: EventForm;
  errors?: Record<string, string> | undefined;
  topics: TopicOption[];
  articles: { id: string; title: string }[];
  mayPublish: boolean;
  notice?: string | undefined;
}) {
  const { event, form, ctx } = props;
  const e = props.errors ?? {};
  const locked = event?.status === 'published' && !props.mayPublish;
  const zones: { value: string; label: string }[] = EVENT_TIME_ZONES.map((z) => ({ value: z.value, label: z.label }));
  if (!zones.some((z) => z.value === form.timeZone)) zones.push({ value: form.timeZone, label: form.timeZone });
  const title = event ? `Edit “${event.title}”` : 'New event';
  return (
    <AdminLayout ctx={ctx} title={event ? `Edit event: ${event.title}` : 'New event'}>
      <p class="margin-top-0">
        <a href="/admin/events">Events</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={e} />
      {event ? (
        <p>
          State: <StatusTag label={simpleStateLabel(event.status)} />
          {event.status === 'published' ? (
            <>
              {' '}
              · <a href={`/events/${event.slug}`}>The published event</a>
            </>
          ) : null}
        </p>
      ) : null}
      {locked ? (
        <Alert type="info" slim>
          {PUBLISHED_CONTENT_MESSAGE}
        </Alert>
      ) : null}
      <PostForm
        action={event ? `/admin/events/${event.id}` : '/admin/events'}
        csrfToken={ctx.csrfToken}
        label="Event"
        class="usa-form usa-form--large"
      >
        <TextField name="title" label="Title" value={form.title} error={e.title} maxLength={200} />
        <TextField
          name="slug"
          label="Slug"
          hint={SLUG_HINT}
          value={form.slug}
          error={e.slug}
          required={false}
          maxLength={200}
          spellcheck={false}
        />
        <SelectField name="kind" label="Kind" options={EVENT_KINDS.map((k) => ({ ...k }))} value={form.kind} error={e.kind} />
        <TextAreaField name="description" label="Description" value={form.description} error={e.description} rows={5} />
        <fieldset class="usa-fieldset margin-top-3">
          <legend class="usa-legend text-bold font-sans-md">When</legend>
          <InputField name="date" label="Date" type="date" hint="For example: 2024-01-22" value={form.date} error={e.date} />
          <InputField
            name="time"
            label="Start time"
            type="time"
            hint="On a 24-hour clock in the time zone below, for example 11:00"
            value={form.time}
            error={e.time}
          />
          <SelectField name="timeZone" label="Time zone" options={zones} value={form.timeZone} error={e.timeZone} />
          <InputField
            name="durationMinutes"
            label="Length in minutes"
            type="number"
            width="usa-input--small"
            value={form.durationMinutes}
            error={e.durationMinutes}
            min={5}
          />
        </fieldset>
        <fieldset class="usa-fieldset margin-top-3">
          <legend class="usa-legend text-bold font-sans-md">Where and who</legend>
          <TextField
            name="hashtag"
            label="Hashtag"
            hint="For X chats: one word starting with #, like #REMSChatWithAnExpert."
            value={form.hashtag}
            error={e.hashtag}
            required={false}
          />
          <TextAreaField
            name="hosts"
            label="Hosts"
            hint="One per line: handle | name | address, like @COPSOffice | COPS Office | https://x.com/COPSOffice"
            value={form.hosts}
            error={e.hosts}
            rows={3}
            required={false}
          />
          <TextField
            name="joinUrl"
            label="Join or registration address"
            type="url"
            value={form.joinUrl}
            error={e.joinUrl}
            required={false}
          />
          <TextField
            name="location"
            label="Location"
            hint="For in-person events."
            value={form.location}
            error={e.location}
            required={false}
          />
        </fieldset>
        <fieldset class="usa-fieldset margin-top-3">
          <legend class="usa-legend text-bold font-sans-md">Afterwards</legend>
          <TextAreaField name="recap" label="Recap (Markdown)" value={form.recap} error={e.recap} rows={5} required={false} />
          <TextField
            name="recordingUrl"
            label="Recording address"
            type="url"
            value={form.recordingUrl}
            error={e.recordingUrl}
            required={false}
          />
        </fieldset>
        <TopicCheckboxes topics={props.topics} checked={form.topics} error={e.topics} />
        <SelectField
          name="articleId"
          label="Linked article"
          hint="The event is shown inside this article."
          options={[{ value: '', label: 'None' }, ...props.articles.map((a) => ({ value: a.id, label: a.title }))]}
          value={form.articleId}
          error={e.articleId}
        />
        {props.mayPublish ? (
          <SelectField name="status" label="State" options={SIMPLE_STATUS_OPTIONS} value={form.status || 'draft'} error={e.status} />
        ) : (
          <p class="usa-hint margin-top-3">New events are drafts. A publisher publishes them.</p>
        )}
        {locked ? null : (
          <button type="submit" class="usa-button margin-top-4">
            {event ? 'Save changes' : 'Create event'}
          </button>
        )}
      </PostForm>
    </AdminLayout>
  );
}
