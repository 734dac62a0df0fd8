import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { getSiteSettings } from '../../../platform/settings/site-settings.ts';
import { pageNumber } from '../../../platform/views/components/pagination.tsx';
import { actorOf } from '../shared/actor.ts';
import { pageCountOf } from '../shared/paging.ts';
import { idParam, postedForm } from '../shared/posted-form.ts';
import { IssueFormPage, IssueListPage } from '../views/issue-pages.tsx';
import { createIssue } from './create-issue.ts';
import { type IssueForm, issueFormFromPost, issueFormFromRow } from './issue-form.ts';
import { findIssue, type IssueRow, listIssueArticles, listIssues } from './issue-queries.ts';
import { publishIssue } from './publish-issue.ts';
import { unpublishIssue } from './unpublish-issue.ts';
import { updateIssue } from './update-issue.ts';

const NOTICES: Record<string, string> = {
  created: 'Issue created as a draft.',
  saved: 'Changes saved.',
  published: 'Issue published.',
  unpublished: 'Issue unpublished. Its articles keep their own states.',
};

const noticeOf = (request: FastifyRequest) => {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' ? NOTICES[key] : undefined;
};

/** Issues: list, new, edit, publish and unpublish. */
export async function issueRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const edit = { preHandler: requireAbility(ctx.config, 'edit') };
  const publish = { preHandler: requireAbility(ctx.config, 'publish') };
  const actor = (request: FastifyRequest) => actorOf(request, ctx.config);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    issue: IssueRow | null,
    extra: { form?: IssueForm; errors?: Record<string, string> },
    status = 200,
  ) {
    const { firstVolumeYear } = await getSiteSettings(ctx.db);
    const month = ctx.clock.now().toISOString().slice(0, 7);
    return reply.html(
      IssueFormPage({
        ctx: await reply.pageContext(),
        issue,
        form: extra.form ?? (issue ? issueFormFromRow(issue) : { month, volume: '', number: '' }),
        errors: extra.errors,
        mayPublish: actor(request).mayPublish,
        firstVolumeYear,
        ...(issue ? { articles: await listIssueArticles(ctx.db, issue.id) } : {}),
        notice: noticeOf(request),
      }),
      status,
    );
  }

  async function loadIssue(request: FastifyRequest): Promise<IssueRow> {
    const issue = await findIssue(ctx.db, idParam(request.params));
    if (!issue) throw notFound('That issue');
    return issue;
  }

  app.get('/admin/issues', edit, async (request, reply) => {
    const page = pageNumber(request.query);
    const { rows, total } = await listIssues(ctx.db, { page });
    return reply.html(
      IssueListPage({ ctx: await reply.pageContext(), rows, page, pageCount: pageCountOf(total), notice: noticeOf(request) }),
    );
  });

  app.get('/admin/issues/new', edit, async (request, reply) => render(request, reply, null, {}));

  app.post('/admin/issues', edit, async (request, reply) => {
    const form = issueFormFromPost(postedForm(request));
    try {
      const id = await createIssue(ctx, { form, actor: actor(request) });
      return reply.redirect(`/admin/issues/${id}?notice=created`, 303);
    } catch (error) {
      return render(request, reply, null, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.get('/admin/issues/:id', edit, async (request, reply) => render(request, reply, await loadIssue(request), {}));

  app.post('/admin/issues/:id', edit, async (request, reply) => {
    const issue = await loadIssue(request);
    const form = issueFormFromPost(postedForm(request));
    try {
      await updateIssue(ctx, { issueId: issue.id, form, actor: actor(request) });
      return reply.redirect(`/admin/issues/${issue.id}?notice=saved`, 303);
    } catch (error) {
      return render(request, reply, issue, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.post('/admin/issues/:id/publish', publish, async (request, reply) => {
    const issueId = idParam(request.params);
    await publishIssue(ctx, { issueId, actor: actor(request) });
    return reply.redirect(`/admin/issues/${issueId}?notice=published`, 303);
  });

  app.post('/admin/issues/:id/unpublish', publish, async (request, reply) => {
    const issueId = idParam(request.params);
    await unpublishIssue(ctx, { issueId, actor: actor(request) });
    return reply.redirect(`/admin/issues/${issueId}?notice=unpublished`, 303);
  });
}
