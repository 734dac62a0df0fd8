import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { issueMonthLabel } from '../../format.ts';
import { STATE_LABELS } from '../articles/article-state.ts';
import type { IssueForm } from '../issues/issue-form.ts';
import type { IssueRow, listIssueArticles, listIssues } from '../issues/issue-queries.ts';
import { PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { ISSUE_RULE, issueLabel } from './article-fields.tsx';
import { simpleStateLabel } from './event-pages.tsx';
import { InputField } from './fields.tsx';
import { EditorialListPage } from './list-page.tsx';
import { ActionButton, Notice, StatusTag, When } from './parts.tsx';

type ListRow = Awaited<ReturnType<typeof listIssues>>['rows'][number];
type IssueArticle = Awaited<ReturnType<typeof listIssueArticles>>[number];

/** Issues, newest first. */
export function IssueListPage(props: { ctx: PageContext; rows: ListRow[]; page: number; pageCount: number; notice?: string | undefined }) {
  return (
    <EditorialListPage
      {...props}
      title="Issues"
      basePath="/admin/issues"
      newLabel="New issue"
      caption="Issues, newest first"
      intro={<p class="usa-hint">{ISSUE_RULE}</p>}
      name={{ header: 'Issue', text: issueLabel }}
      columns={[
        { header: 'State', cell: (row) => <StatusTag label={simpleStateLabel(row.status)} /> },
        { header: 'Articles', cell: (row) => row.articles },
        { header: 'Published', cell: (row) => <When at={row.published_at} /> },
      ]}
    />
  );
}

/** New and edit issue pages; the edit page also publishes or unpublishes and lists the articles. */
export function IssueFormPage(props: {
  ctx: PageContext;
  issue: IssueRow | null;
  form: IssueForm;
  errors?: Record<string, string> | undefined;
  mayPublish: boolean;
  firstVolumeYear: number;
  articles?: IssueArticle[];
  notice?: string | undefined;
}) {
  const { issue, ctx, form } = props;
  const e = props.errors ?? {};
  const locked = issue?.status === 'published' && !props.mayPublish;
  const title = issue ? `Edit ${issueLabel(issue)}` : 'New issue';
  return (
    <AdminLayout ctx={ctx} title={title}>
      <p class="margin-top-0">
        <a href="/admin/issues">Issues</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={e} />
      {issue ? (
        <section aria-labelledby="issue-state-heading" class="margin-bottom-4">
          <h2 id="issue-state-heading">State</h2>
          <p>
            <StatusTag label={simpleStateLabel(issue.status)} />
            {issue.published_at ? (
              <>
                {' '}
                First published <When at={issue.published_at} />
              </>
            ) : null}
          </p>
          <p class="usa-hint">A published issue appears on the home page and in the archive with its published articles. {ISSUE_RULE}</p>
          {props.mayPublish ? (
            issue.status === 'draft' ? (
              <ActionButton action={`/admin/issues/${issue.id}/publish`} csrfToken={ctx.csrfToken} label="Publish issue" />
            ) : (
              <ActionButton action={`/admin/issues/${issue.id}/unpublish`} csrfToken={ctx.csrfToken} label="Unpublish issue" secondary />
            )
          ) : (
            <p class="usa-hint">Publishing and unpublishing issues is for publishers.</p>
          )}
          {props.mayPublish && issue.status === 'published' ? (
            <PostForm action="/admin/campaigns" csrfToken={ctx.csrfToken} label="Send as bulletin" class="display-inline-block">
              <input type="hidden" name="kind" value="bulletin" />
              <input type="hidden" name="bulletinSource" value={`issue:${issue.id}`} />
              <button type="submit" class="usa-button usa-button--outline">
                Send as bulletin
              </button>
            </PostForm>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="issue-details-heading">
        <h2 id="issue-details-heading">Details</h2>
        {locked ? (
          <Alert type="info" slim>
            {PUBLISHED_CONTENT_MESSAGE}
          </Alert>
        ) : null}
        <PostForm action={issue ? `/admin/issues/${issue.id}` : '/admin/issues'} csrfToken={ctx.csrfToken} label="Issue details">
          <InputField name="month" label="Month" type="month" hint="YYYY-MM, for example 2024-01" value={form.month} error={e.month} />
          <InputField
            name="volume"
            label="Volume"
            type="number"
            width="usa-input--small"
            hint={`Leave blank to use the year: Volume 1 was ${props.firstVolumeYear}, so 2024 is Volume ${2024 - props.firstVolumeYear + 1}.`}
            value={form.volume}
            error={e.volume}
            required={false}
            min={1}
          />
          <InputField
            name="number"
            label="Issue number"
            type="number"
            width="usa-input--small"
            hint="Leave blank to use the month: January is Issue 1."
            value={form.number}
            error={e.number}
            required={false}
            min={1}
          />
          {locked ? null : (
            <button type="submit" class="usa-button margin-top-3">
              {issue ? 'Save changes' : 'Create issue'}
            </button>
          )}
        </PostForm>
      </section>
      {issue && props.articles ? (
        <section aria-labelledby="issue-articles-heading" class="margin-top-5">
          <h2 id="issue-articles-heading">Articles in {issueMonthLabel(issue.month)}</h2>
          {props.articles.length === 0 ? (
            <p>
              No articles yet. Choose this issue on an article’s form to add one. <a href="/admin/articles/new">New article</a>
            </p>
          ) : (
            <ol class="usa-list">
              {props.articles.map((a) => (
                <li>
                  <a href={`/admin/articles/${a.id}`}>{a.title}</a> <StatusTag label={STATE_LABELS[a.status]} />
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </AdminLayout>
  );
}
