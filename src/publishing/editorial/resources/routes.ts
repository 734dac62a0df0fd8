import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { pageNumber } from '../../../platform/views/components/pagination.tsx';
import { actorOf } from '../shared/actor.ts';
import { pageCountOf } from '../shared/paging.ts';
import { idParam, postedForm } from '../shared/posted-form.ts';
import { linkedTopicIds, listTopicOptions } from '../shared/topic-links.ts';
import { ResourceFormPage, ResourceListPage } from '../views/resource-pages.tsx';
import { createResource } from './create-resource.ts';
import { emptyResourceForm, type ResourceForm, resourceFormFromPost, resourceFormFromRow } from './resource-form.ts';
import { findResource, listResources, type ResourceRow } from './resource-queries.ts';
import { updateResource } from './update-resource.ts';

const NOTICES: Record<string, string> = { created: 'Resource added.', saved: 'Changes saved.' };
const noticeOf = (request: FastifyRequest) => {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' ? NOTICES[key] : undefined;
};

/** Resources: list, new and edit (publishing is a field of the form, for publishers). */
export async function resourceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const edit = { preHandler: requireAbility(ctx.config, 'edit') };
  const actor = (request: FastifyRequest) => actorOf(request, ctx.config);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    resource: ResourceRow | null,
    extra: { form?: ResourceForm; errors?: Record<string, string> },
    status = 200,
  ) {
    const topics = await listTopicOptions(ctx.db);
    const form =
      extra.form ?? (resource ? resourceFormFromRow(resource, await linkedTopicIds(ctx.db, 'resource', resource.id)) : emptyResourceForm);
    return reply.html(
      ResourceFormPage({
        ctx: await reply.pageContext(),
        resource,
        form,
        errors: extra.errors,
        topics,
        mayPublish: actor(request).mayPublish,
        notice: noticeOf(request),
      }),
      status,
    );
  }

  async function loadResource(request: FastifyRequest): Promise<ResourceRow> {
    const resource = await findResource(ctx.db, idParam(request.params));
    if (!resource) throw notFound('That resource');
    return resource;
  }

  app.get('/admin/resources', edit, async (request, reply) => {
    const page = pageNumber(request.query);
    const { rows, total } = await listResources(ctx.db, { page });
    return reply.html(
      ResourceListPage({ ctx: await reply.pageContext(), rows, page, pageCount: pageCountOf(total), notice: noticeOf(request) }),
    );
  });

  app.get('/admin/resources/new', edit, async (request, reply) => render(request, reply, null, {}));

  app.post('/admin/resources', edit, async (request, reply) => {
    const form = resourceFormFromPost(postedForm(request));
    try {
      const id = await createResource(ctx, { form, actor: actor(request) });
      return reply.redirect(`/admin/resources/${id}?notice=created`, 303);
    } catch (error) {
      return render(request, reply, null, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.get('/admin/resources/:id', edit, async (request, reply) => render(request, reply, await loadResource(request), {}));

  app.post('/admin/resources/:id', edit, async (request, reply) => {
    const resource = await loadResource(request);
    const form = resourceFormFromPost(postedForm(request));
    try {
      await updateResource(ctx, { resourceId: resource.id, form, actor: actor(request) });
      return reply.redirect(`/admin/resources/${resource.id}?notice=saved`, 303);
    } catch (error) {
      return render(request, reply, resource, { form, errors: validationFieldsOf(error) }, 400);
    }
  });
}
