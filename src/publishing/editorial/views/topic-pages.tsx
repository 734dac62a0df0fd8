import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { ErrorSummary, PostForm, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { SLUG_HINT } from '../shared/slug.ts';
import type { TopicForm } from '../topics/topic-form.ts';
import type { listTopics, TopicRow } from '../topics/topic-queries.ts';
import { EditorialListPage } from './list-page.tsx';
import { Notice } from './parts.tsx';

type ListRow = Awaited<ReturnType<typeof listTopics>>['rows'][number];

/** Topics by name, with how often each is used. */
export function TopicListPage(props: { ctx: PageContext; rows: ListRow[]; page: number; pageCount: number; notice?: string | undefined }) {
  return (
    <EditorialListPage
      {...props}
      title="Topics"
      basePath="/admin/topics"
      newLabel="New topic"
      caption="Topics by name"
      name={{ header: 'Topic', text: (row) => row.name }}
      columns={[
        { header: 'Slug', cell: (row) => row.slug },
        { header: 'Articles', cell: (row) => Number(row.articles ?? 0) },
        { header: 'Events', cell: (row) => Number(row.events ?? 0) },
        { header: 'Resources', cell: (row) => Number(row.resources ?? 0) },
      ]}
    />
  );
}

/** New and edit topic pages; the edit page can also delete the topic. */
export function TopicFormPage(props: {
  ctx: PageContext;
  topic: TopicRow | null;
  form: TopicForm;
  errors?: Record<string, string> | undefined;
  uses?: number;
  notice?: string | undefined;
}) {
  const { topic, form, ctx } = props;
  const e = props.errors ?? {};
  const title = topic ? `Edit topic “${topic.name}”` : 'New topic';
  return (
    <AdminLayout ctx={ctx} title={title}>
      <p class="margin-top-0">
        <a href="/admin/topics">Topics</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={e} />
      <PostForm action={topic ? `/admin/topics/${topic.id}` : '/admin/topics'} csrfToken={ctx.csrfToken} label="Topic">
        <TextField name="name" label="Name" value={form.name} error={e.name} maxLength={100} />
        <TextField
          name="slug"
          label="Slug"
          hint={SLUG_HINT.replace('title', 'name')}
          value={form.slug}
          error={e.slug}
          required={false}
          maxLength={200}
          spellcheck={false}
        />
        <TextAreaField name="description" label="Description" value={form.description} error={e.description} rows={3} required={false} />
        <button type="submit" class="usa-button margin-top-3">
          {topic ? 'Save changes' : 'Add topic'}
        </button>
      </PostForm>
      {topic ? (
        <section aria-labelledby="delete-heading" class="margin-top-6">
          <h2 id="delete-heading">Delete this topic</h2>
          <p>
            {props.uses
              ? `It is used by ${props.uses} ${props.uses === 1 ? 'item' : 'items'}. Deleting the topic removes it from them; the articles, events and resources themselves stay as they are.`
              : 'No article, event or resource uses it.'}
          </p>
          <PostForm action={`/admin/topics/${topic.id}/delete`} csrfToken={ctx.csrfToken} label="Delete this topic" class="">
            <button type="submit" class="usa-button usa-button--secondary">
              Delete topic
            </button>
          </PostForm>
        </section>
      ) : null}
    </AdminLayout>
  );
}
