import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { ArticleStatus } from '../../../platform/db/schema.ts';
import { AppError, notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { pageNumber } from '../../../platform/views/components/pagination.tsx';
import { renderMarkdown } from '../../markdown.ts';
import { ArticlePage } from '../../views/article-page.tsx';
import { actorOf } from '../shared/actor.ts';
import { pageCountOf } from '../shared/paging.ts';
import { idParam, postedForm } from '../shared/posted-form.ts';
import { linkedTopicIds, listTopicOptions } from '../shared/topic-links.ts';
import { uploadedFile } from '../uploads/multipart.ts';
import { ArticleFormPage, type ArticleFormPageProps } from '../views/article-form-page.tsx';
import { ArticleListPage } from '../views/article-list-page.tsx';
import { ArticleRevisionPage, ArticleRevisionsPage } from '../views/article-revisions-pages.tsx';
import { type ArticleForm, articleFormFromPost, articleFormFromRow, emptyArticleForm } from './article-form.ts';
import { ARTICLE_STATUSES, type ArticleRow, findArticle, listArticles, listIssueOptions } from './article-queries.ts';
import { findArticleRevision, listArticleRevisions } from './article-revisions.ts';
import { createArticle } from './create-article.ts';
import { loadArticlePreview } from './load-article-preview.ts';
import { publishArticle } from './publish-article.ts';
import { returnArticleToDraft } from './return-article-to-draft.ts';
import { type ScheduleForm, scheduleArticle } from './schedule-article.ts';
import { setArticleImage } from './set-article-image.ts';
import { submitArticle } from './submit-article.ts';
import { unpublishArticle } from './unpublish-article.ts';
import { updateArticle } from './update-article.ts';

const NOTICES: Record<string, string> = {
  created: 'Article saved as a draft.',
  saved: 'Changes saved.',
  submitted: 'Submitted for review. A publisher can now schedule or publish it.',
  returned: 'The article is a draft again.',
  scheduled: 'Scheduled. It will be published automatically at that time.',
  published: 'Published. Readers can see it now.',
  unpublished: 'Unpublished. The article is a draft again and readers no longer see it.',
  image: 'Image saved.',
};

function noticeOf(request: FastifyRequest): string | undefined {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' ? NOTICES[key] : undefined;
}

function statusFilter(query: unknown): ArticleStatus | undefined {
  const raw = (query as Record<string, unknown>).status;
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' && (ARTICLE_STATUSES as readonly string[]).includes(raw)) return raw as ArticleStatus;
  throw new AppError('VALIDATION', 'Show articles by one of: draft, in_review, scheduled, published.');
}

/** Articles: list, new, edit with Preview, workflow, image, reader preview and revisions. */
export async function articleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const editGuard = requireAbility(ctx.config, 'edit');
  const edit = { preHandler: editGuard };
  const publish = { preHandler: requireAbility(ctx.config, 'publish') };
  const actor = (request: FastifyRequest) => actorOf(request, ctx.config);

  async function loadArticle(request: FastifyRequest): Promise<ArticleRow> {
    const article = await findArticle(ctx.db, idParam(request.params));
    if (!article) throw notFound('That article');
    return article;
  }

  type Extra = Omit<ArticleFormPageProps, 'ctx' | 'article' | 'form' | 'topics' | 'issues' | 'mayPublish'> & { form?: ArticleForm };

  async function renderForm(request: FastifyRequest, reply: FastifyReply, article: ArticleRow | null, extra: Extra, status = 200) {
    const [topics, issues] = await Promise.all([listTopicOptions(ctx.db), listIssueOptions(ctx.db)]);
    const form =
      extra.form ?? (article ? articleFormFromRow(article, await linkedTopicIds(ctx.db, 'article', article.id)) : emptyArticleForm);
    const props = { ...extra, ctx: await reply.pageContext(), article, form, topics, issues, mayPublish: actor(request).mayPublish };
    return reply.html(ArticleFormPage(props), status);
  }

  app.get('/admin/articles', edit, async (request, reply) => {
    const status = statusFilter(request.query);
    const page = pageNumber(request.query);
    const { rows, total } = await listArticles(ctx.db, { status, page });
    return reply.html(
      ArticleListPage({ ctx: await reply.pageContext(), rows, status, page, pageCount: pageCountOf(total), notice: noticeOf(request) }),
    );
  });

  app.get('/admin/articles/new', edit, async (request, reply) => renderForm(request, reply, null, {}));

  app.post('/admin/articles', edit, async (request, reply) => {
    const posted = postedForm(request);
    const form = articleFormFromPost(posted);
    if (posted.fields.intent === 'preview') return renderForm(request, reply, null, { form, preview: renderMarkdown(form.body) });
    try {
      const id = await createArticle(ctx, { form, actor: actor(request) });
      return reply.redirect(`/admin/articles/${id}?notice=created`, 303);
    } catch (error) {
      return renderForm(request, reply, null, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.get('/admin/articles/:id', edit, async (request, reply) =>
    renderForm(request, reply, await loadArticle(request), { notice: noticeOf(request) }),
  );

  app.post('/admin/articles/:id', edit, async (request, reply) => {
    const article = await loadArticle(request);
    const posted = postedForm(request);
    const form = articleFormFromPost(posted);
    if (posted.fields.intent === 'preview') return renderForm(request, reply, article, { form, preview: renderMarkdown(form.body) });
    try {
      await updateArticle(ctx, { articleId: article.id, form, actor: actor(request) });
      return reply.redirect(`/admin/articles/${article.id}?notice=saved`, 303);
    } catch (error) {
      return renderForm(request, reply, article, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  const transitions = [
    { path: 'submit', guard: edit, run: submitArticle, notice: 'submitted' },
    { path: 'return', guard: edit, run: returnArticleToDraft, notice: 'returned' },
    { path: 'publish', guard: publish, run: publishArticle, notice: 'published' },
    { path: 'unpublish', guard: publish, run: unpublishArticle, notice: 'unpublished' },
  ] as const;
  for (const t of transitions) {
    app.post(`/admin/articles/:id/${t.path}`, t.guard, async (request, reply) => {
      const articleId = idParam(request.params);
      await t.run(ctx, { articleId, actor: actor(request) });
      return reply.redirect(`/admin/articles/${articleId}?notice=${t.notice}`, 303);
    });
  }

  app.post('/admin/articles/:id/schedule', publish, async (request, reply) => {
    const article = await loadArticle(request);
    const f = postedForm(request).fields;
    const when: ScheduleForm = { date: f.scheduleDate ?? '', time: f.scheduleTime ?? '', timeZone: f.scheduleTimeZone ?? '' };
    try {
      await scheduleArticle(ctx, { articleId: article.id, actor: actor(request), when });
      return reply.redirect(`/admin/articles/${article.id}?notice=scheduled`, 303);
    } catch (error) {
      return renderForm(request, reply, article, { schedule: when, errors: validationFieldsOf(error) }, 400);
    }
  });

  // Multipart: the guard runs on onRequest, so a signed-out request is refused before its body is read.
  app.post('/admin/articles/:id/image', { onRequest: editGuard, preHandler: editGuard }, async (request, reply) => {
    const article = await loadArticle(request);
    const alt = postedForm(request).fields.newImageAlt ?? '';
    const file = uploadedFile(request, 'image');
    try {
      await setArticleImage(ctx, { articleId: article.id, actor: actor(request), file, alt });
      return reply.redirect(`/admin/articles/${article.id}?notice=image`, 303);
    } catch (error) {
      return renderForm(request, reply, article, { newImageAlt: alt, errors: validationFieldsOf(error) }, 400);
    }
  });

  // The public article page's own component, given this article whatever its state.
  app.get('/admin/articles/:id/preview', edit, async (request, reply) => {
    const view = await loadArticlePreview(ctx, idParam(request.params));
    reply.header('x-robots-tag', 'noindex');
    return reply.html(ArticlePage({ ctx: await reply.pageContext(), view }));
  });

  app.get('/admin/articles/:id/revisions', edit, async (request, reply) => {
    const article = await loadArticle(request);
    const revisions = await listArticleRevisions(ctx.db, article.id);
    return reply.html(ArticleRevisionsPage({ ctx: await reply.pageContext(), article, revisions }));
  });

  app.get('/admin/articles/:id/revisions/:revisionId', edit, async (request, reply) => {
    const article = await loadArticle(request);
    const raw = (request.params as { revisionId: string }).revisionId;
    if (!/^\d{1,15}$/.test(raw)) throw new AppError('VALIDATION', 'A revision number is a whole number.');
    const revision = await findArticleRevision(ctx.db, article.id, Number(raw));
    if (!revision) throw notFound('That revision');
    const topics = await listTopicOptions(ctx.db);
    const topicNames = Object.fromEntries(topics.map((t) => [t.id, t.name]));
    return reply.html(ArticleRevisionPage({ ctx: await reply.pageContext(), article, revision, topicNames }));
  });
}
