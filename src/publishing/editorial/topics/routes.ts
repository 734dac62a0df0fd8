import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { pageNumber } from '../../../platform/views/components/pagination.tsx';
import { actorOf } from '../shared/actor.ts';
import { pageCountOf } from '../shared/paging.ts';
import { idParam, postedForm } from '../shared/posted-form.ts';
import { TopicFormPage, TopicListPage } from '../views/topic-pages.tsx';
import { createTopic } from './create-topic.ts';
import { deleteTopic } from './delete-topic.ts';
import { emptyTopicForm, type TopicForm, topicFormFromPost } from './topic-form.ts';
import { findTopic, itemsTaggedWith, listTopics, type TopicRow } from './topic-queries.ts';
import { updateTopic } from './update-topic.ts';

const NOTICES: Record<string, string> = { created: 'Topic added.', saved: 'Changes saved.', deleted: 'Topic deleted.' };
const noticeOf = (request: FastifyRequest) => {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' ? NOTICES[key] : undefined;
};

/** Topics: editors may add, rename and delete them. */
export async function topicRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const edit = { preHandler: requireAbility(ctx.config, 'edit') };
  const actor = (request: FastifyRequest) => actorOf(request, ctx.config);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    topic: TopicRow | null,
    extra: { form?: TopicForm; errors?: Record<string, string> },
    status = 200,
  ) {
    return reply.html(
      TopicFormPage({
        ctx: await reply.pageContext(),
        topic,
        form: extra.form ?? (topic ? { name: topic.name, slug: topic.slug, description: topic.description } : emptyTopicForm),
        errors: extra.errors,
        ...(topic ? { uses: (await itemsTaggedWith(ctx.db, topic.id)).length } : {}),
        notice: noticeOf(request),
      }),
      status,
    );
  }

  async function loadTopic(request: FastifyRequest): Promise<TopicRow> {
    const topic = await findTopic(ctx.db, idParam(request.params));
    if (!topic) throw notFound('That topic');
    return topic;
  }

  app.get('/admin/topics', edit, async (request, reply) => {
    const page = pageNumber(request.query);
    const { rows, total } = await listTopics(ctx.db, { page });
    return reply.html(
      TopicListPage({ ctx: await reply.pageContext(), rows, page, pageCount: pageCountOf(total), notice: noticeOf(request) }),
    );
  });

  app.get('/admin/topics/new', edit, async (request, reply) => render(request, reply, null, {}));

  app.post('/admin/topics', edit, async (request, reply) => {
    const form = topicFormFromPost(postedForm(request));
    try {
      const id = await createTopic(ctx, { form, actor: actor(request) });
      return reply.redirect(`/admin/topics/${id}?notice=created`, 303);
    } catch (error) {
      return render(request, reply, null, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.get('/admin/topics/:id', edit, async (request, reply) => render(request, reply, await loadTopic(request), {}));

  app.post('/admin/topics/:id', edit, async (request, reply) => {
    const topic = await loadTopic(request);
    const form = topicFormFromPost(postedForm(request));
    try {
      await updateTopic(ctx, { topicId: topic.id, form, actor: actor(request) });
      return reply.redirect(`/admin/topics/${topic.id}?notice=saved`, 303);
    } catch (error) {
      return render(request, reply, topic, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.post('/admin/topics/:id/delete', edit, async (request, reply) => {
    await deleteTopic(ctx, { topicId: idParam(request.params), actor: actor(request) });
    return reply.redirect('/admin/topics?notice=deleted', 303);
  });
}
