import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { ErrorSummary, PostForm, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { SLUG_HINT } from '../shared/slug.ts';
import type { TopicForm } from '../topics/topic-form.ts';
import type { listTopics, TopicRow } from '../topics/topic-queries.ts';
import { Notice } from './parts.tsx';

type ListRow = Awaited<ReturnType<typeof listTopics>>['rows'][number];

/** Topics by name, with how often each is used. */
export function TopicListPage(props: { ctx: PageContext; rows: ListRow[]; page: number; pageCount: number; notice?: string | undefined }) {
  return (
    <AdminLayout ctx={props.ctx} title="Topics">
      <h1>Topics</h1>
      <Notice text={props.notice} />
      <p>
        <a href="/admin/topics/new" class="usa-button">
          New topic
        </a>
      </p>
      {props.rows.length === 0 ? (
        <p>No topics yet.</p>
      ) : (
        <table class="usa-table usa-table--borderless width-full">
          <caption class="usa-sr-only">Topics by name</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Slug</th>
              <th scope="col">Articles</th>
              <th scope="col">Events</th>
              <th scope="col">Resources</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/topics/${row.id}`}>{row.name}</a>
                </th>
                <td>{row.slug}</td>
                <td>{Number(row.articles ?? 0)}</td>
                <td>{Number(row.events ?? 0)}</td>
                <td>{Number(row.resources ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination basePath="/admin/topics" page={props.page} pageCount={props.pageCount} label="Topic pages" />
    </AdminLayout>
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
