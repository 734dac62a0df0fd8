import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, SelectField, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { RESOURCE_KINDS, type ResourceForm } from '../resources/resource-form.ts';
import type { listResources, ResourceRow } from '../resources/resource-queries.ts';
import { PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { SIMPLE_STATUS_OPTIONS } from '../shared/simple-status.ts';
import type { TopicOption } from '../shared/topic-links.ts';
import { simpleStateLabel } from './event-pages.tsx';
import { TopicCheckboxes } from './fields.tsx';
import { EditorialListPage } from './list-page.tsx';
import { Notice, StatusTag } from './parts.tsx';

type ListRow = Awaited<ReturnType<typeof listResources>>['rows'][number];
const kindLabel = (kind: string) => RESOURCE_KINDS.find((k) => k.value === kind)?.label ?? kind;

/** Resources by title. */
export function ResourceListPage(props: {
  ctx: PageContext;
  rows: ListRow[];
  page: number;
  pageCount: number;
  notice?: string | undefined;
}) {
  return (
    <EditorialListPage
      {...props}
      title="Resources"
      basePath="/admin/resources"
      newLabel="New resource"
      caption="Resources by title"
      name={{ header: 'Resource', text: (row) => row.title }}
      columns={[
        { header: 'Kind', cell: (row) => kindLabel(row.kind) },
        { header: 'Publisher', cell: (row) => row.publisher },
        { header: 'State', cell: (row) => <StatusTag label={simpleStateLabel(row.status)} /> },
      ]}
    />
  );
}

/** New and edit resource pages. */
export function ResourceFormPage(props: {
  ctx: PageContext;
  resource: ResourceRow | null;
  form: ResourceForm;
  errors?: Record<string, string> | undefined;
  topics: TopicOption[];
  mayPublish: boolean;
  notice?: string | undefined;
}) {
  const { resource, form, ctx } = props;
  const e = props.errors ?? {};
  const locked = resource?.status === 'published' && !props.mayPublish;
  const title = resource ? `Edit “${resource.title}”` : 'New resource';
  return (
    <AdminLayout ctx={ctx} title={resource ? `Edit resource: ${resource.title}` : 'New resource'}>
      <p class="margin-top-0">
        <a href="/admin/resources">Resources</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={e} />
      {resource ? (
        <p>
          State: <StatusTag label={simpleStateLabel(resource.status)} />
        </p>
      ) : null}
      {locked ? (
        <Alert type="info" slim>
          {PUBLISHED_CONTENT_MESSAGE}
        </Alert>
      ) : null}
      <PostForm action={resource ? `/admin/resources/${resource.id}` : '/admin/resources'} csrfToken={ctx.csrfToken} label="Resource">
        <TextField name="title" label="Title" value={form.title} error={e.title} maxLength={300} />
        <TextField name="url" label="Address" type="url" hint="Starting with https:// or http://" value={form.url} error={e.url} />
        <TextField
          name="publisher"
          label="Publisher"
          hint="Who publishes it, for example the COPS Office."
          value={form.publisher}
          error={e.publisher}
          required={false}
        />
        <SelectField name="kind" label="Kind" options={RESOURCE_KINDS.map((k) => ({ ...k }))} value={form.kind} error={e.kind} />
        <TextAreaField name="description" label="Description" value={form.description} error={e.description} rows={4} required={false} />
        <TopicCheckboxes topics={props.topics} checked={form.topics} error={e.topics} />
        {props.mayPublish ? (
          <SelectField name="status" label="State" options={SIMPLE_STATUS_OPTIONS} value={form.status || 'draft'} error={e.status} />
        ) : (
          <p class="usa-hint margin-top-3">New resources are drafts. A publisher publishes them.</p>
        )}
        {locked ? null : (
          <button type="submit" class="usa-button margin-top-4">
            {resource ? 'Save changes' : 'Add resource'}
          </button>
        )}
      </PostForm>
    </AdminLayout>
  );
}
