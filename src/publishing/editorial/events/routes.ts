import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { pageNumber } from '../../../platform/views/components/pagination.tsx';
import { listArticleOptions } from '../articles/article-queries.ts';
import { actorOf } from '../shared/actor.ts';
import { pageCountOf } from '../shared/paging.ts';
import { idParam, postedForm } from '../shared/posted-form.ts';
import { linkedTopicIds, listTopicOptions } from '../shared/topic-links.ts';
import { EventFormPage, EventListPage } from '../views/event-pages.tsx';
import { createEvent } from './create-event.ts';
import { type EventForm, emptyEventForm, eventFormFromPost, eventFormFromRow } from './event-form.ts';
import { type EventRow, findEvent, listEvents } from './event-queries.ts';
import { updateEvent } from './update-event.ts';

const NOTICES: Record<string, string> = { created: 'Event created.', saved: 'Changes saved.' };
const noticeOf = (request: FastifyRequest) => {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' ? NOTICES[key] : undefined;
};

/** Events: list, new and edit (publishing is a field of the form, for publishers). */
export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const edit = { preHandler: requireAbility(ctx.config, 'edit') };
  const actor = (request: FastifyRequest) => actorOf(request, ctx.config);

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    event: EventRow | null,
    extra: { form?: EventForm; errors?: Record<string, string> },
    status = 200,
  ) {
    const [topics, articles] = await Promise.all([listTopicOptions(ctx.db), listArticleOptions(ctx.db)]);
    const form = extra.form ?? (event ? eventFormFromRow(event, await linkedTopicIds(ctx.db, 'event', event.id)) : emptyEventForm);
    return reply.html(
      EventFormPage({
        ctx: await reply.pageContext(),
        event,
        form,
        errors: extra.errors,
        topics,
        articles,
        mayPublish: actor(request).mayPublish,
        notice: noticeOf(request),
      }),
      status,
    );
  }

  async function loadEvent(request: FastifyRequest): Promise<EventRow> {
    const event = await findEvent(ctx.db, idParam(request.params));
    if (!event) throw notFound('That event');
    return event;
  }

  app.get('/admin/events', edit, async (request, reply) => {
    const page = pageNumber(request.query);
    const { rows, total } = await listEvents(ctx.db, { page });
    return reply.html(
      EventListPage({ ctx: await reply.pageContext(), rows, page, pageCount: pageCountOf(total), notice: noticeOf(request) }),
    );
  });

  app.get('/admin/events/new', edit, async (request, reply) => render(request, reply, null, {}));

  app.post('/admin/events', edit, async (request, reply) => {
    const form = eventFormFromPost(postedForm(request));
    try {
      const id = await createEvent(ctx, { form, actor: actor(request) });
      return reply.redirect(`/admin/events/${id}?notice=created`, 303);
    } catch (error) {
      return render(request, reply, null, { form, errors: validationFieldsOf(error) }, 400);
    }
  });

  app.get('/admin/events/:id', edit, async (request, reply) => render(request, reply, await loadEvent(request), {}));

  app.post('/admin/events/:id', edit, async (request, reply) => {
    const event = await loadEvent(request);
    const form = eventFormFromPost(postedForm(request));
    try {
      await updateEvent(ctx, { eventId: event.id, form, actor: actor(request) });
      return reply.redirect(`/admin/events/${event.id}?notice=saved`, 303);
    } catch (error) {
      return render(request, reply, event, { form, errors: validationFieldsOf(error) }, 400);
    }
  });
}
