import { AdminLayout } from '../../../administration/views/admin-layout.tsx';
import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm } from '../../../platform/views/components/forms.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { ArticleForm } from '../articles/article-form.ts';
import type { ArticleRow, IssueOption } from '../articles/article-queries.ts';
import type { ScheduleForm } from '../articles/schedule-article.ts';
import { PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import type { TopicOption } from '../shared/topic-links.ts';
import { ArticleFields, BodyPreview } from './article-fields.tsx';
import { ArticleImagePanel } from './article-image-panel.tsx';
import { ArticleWorkflowPanel } from './article-workflow-panel.tsx';
import { Notice } from './parts.tsx';

export interface ArticleFormPageProps {
  ctx: PageContext;
  /** The article being edited; null on the "new article" page. */
  article: ArticleRow | null;
  form: ArticleForm;
  /** Field errors of whichever form on the page was sent (article, schedule or image). */
  errors?: Record<string, string> | undefined;
  topics: TopicOption[];
  issues: IssueOption[];
  mayPublish: boolean;
  /** Rendered Markdown after "Preview". */
  preview?: string | undefined;
  notice?: string | undefined;
  schedule?: ScheduleForm | undefined;
  newImageAlt?: string | undefined;
}

export const defaultScheduleForm: ScheduleForm = { date: '', time: '09:00', timeZone: 'America/New_York' };

/** New and edit article pages: workflow, the article form with Preview, and the image. */
export function ArticleFormPage(props: ArticleFormPageProps) {
  const { article, ctx } = props;
  const errors = props.errors ?? {};
  const locked = article !== null && (article.status === 'published' || article.status === 'scheduled') && !props.mayPublish;
  const title = article ? `Edit “${article.title}”` : 'New article';
  return (
    <AdminLayout ctx={ctx} title={article ? `Edit article: ${article.title}` : 'New article'}>
      <p class="margin-top-0">
        <a href="/admin/articles">Articles</a>
      </p>
      <h1>{title}</h1>
      <Notice text={props.notice} />
      <ErrorSummary fields={errors} />
      {article ? (
        <>
          <ul class="usa-list usa-list--unstyled margin-bottom-3">
            <li>
              <a href={`/admin/articles/${article.id}/preview`}>Preview exactly as readers will see it</a>
            </li>
            <li>
              <a href={`/admin/articles/${article.id}/revisions`}>Revision history</a>
            </li>
            {article.status === 'published' ? (
              <li>
                <a href={`/articles/${article.slug}`}>The published article</a>
              </li>
            ) : null}
          </ul>
          <ArticleWorkflowPanel
            csrfToken={ctx.csrfToken}
            article={article}
            mayPublish={props.mayPublish}
            schedule={props.schedule ?? defaultScheduleForm}
            scheduleErrors={errors}
          />
        </>
      ) : null}
      <section aria-labelledby="content-heading">
        <h2 id="content-heading">Content</h2>
        {locked ? (
          <Alert type="info" slim>
            {PUBLISHED_CONTENT_MESSAGE} You can still preview changes here.
          </Alert>
        ) : null}
        <PostForm
          action={article ? `/admin/articles/${article.id}` : '/admin/articles'}
          csrfToken={ctx.csrfToken}
          label="Article"
          class="usa-form usa-form--large"
        >
          <ArticleFields
            form={props.form}
            errors={errors}
            topics={props.topics}
            issues={props.issues}
            hasImage={Boolean(article?.image_upload_id)}
          />
          <div class="margin-top-4">
            {locked ? null : (
              <button type="submit" class="usa-button" name="intent" value="save">
                {article ? 'Save changes' : 'Save draft'}
              </button>
            )}
            <button type="submit" class="usa-button usa-button--outline" name="intent" value="preview">
              Preview
            </button>
          </div>
        </PostForm>
      </section>
      {props.preview !== undefined ? <BodyPreview title={props.form.title} summary={props.form.summary} html={props.preview} /> : null}
      {article && !locked ? (
        <ArticleImagePanel csrfToken={ctx.csrfToken} article={article} errors={errors} alt={props.newImageAlt ?? ''} />
      ) : null}
    </AdminLayout>
  );
}
