import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../platform/auth/guards.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { AppError, validationFieldsOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { formFields } from '../../platform/http/form.ts';
import { pageNumber } from '../../platform/views/components/pagination.tsx';
import { staffActorOf } from '../staff-actor.ts';
import { createSubscriptionTopic } from './create-subscription-topic.ts';
import { deleteSubscriber } from './delete-subscriber.ts';
import { deleteSubscriptionTopic, topicDeletionBlock } from './delete-subscription-topic.ts';
import { findSubscribers } from './find-subscribers.ts';
import { getSubscriber, getSubscriberRecord } from './get-subscriber-record.ts';
import { getSubscriptionTopic, nextTopicPosition } from './get-subscription-topic.ts';
import { listTopicsWithCounts } from './list-topics-with-counts.ts';
import { loadSubscriberOverview } from './load-subscriber-overview.ts';
import { suppressSubscriber } from './suppress-subscriber.ts';
import { newTopicForm, type TopicForm, topicFormFromFields, topicFormOf } from './topic-form.ts';
import { unsubscribeSubscriber } from './unsubscribe-subscriber.ts';
import { updateSubscriptionTopic } from './update-subscription-topic.ts';
import { SubscriberActionPage, SubscriberPage } from './views/subscriber-page.tsx';
import { SubscribersPage } from './views/subscribers-page.tsx';
import { TopicDeletePage, TopicFormPage, TopicListPage } from './views/topic-pages.tsx';

const TOPICS = '/admin/subscriptions/topics';
const SUBSCRIBERS = '/admin/subscribers';

const TOPIC_NOTICES: Record<string, string> = {
  created: 'Topic added.',
  saved: 'Changes saved.',
  unchanged: 'Nothing was changed.',
  deleted: 'Topic deleted.',
};
const SUBSCRIBER_NOTICES: Record<string, string> = {
  unsubscribed: 'Unsubscribed. Dispatch sends this address nothing from now on.',
  suppressed: 'Suppressed. The address is unsubscribed and on the suppression list.',
  unchanged: 'Nothing changed: that was already the case.',
  deleted: 'Subscriber deleted. Only a keyed hash of the address is kept, on the suppression list.',
};

function noticeOf(request: FastifyRequest, notices: Record<string, string>): string | undefined {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

/**
 * The staff side of subscriptions: topics at /admin/subscriptions/topics, and at /admin/subscribers
 * the counts, growth chart, search, and each subscriber's record and history. Publishers and
 * administrators only ('publish', which needs a second factor): these pages show and change the
 * list of people the agency mails.
 */
export const subscriberAdminRoutes: FeatureRoutes = async (app, ctx) => {
  const publish = { preHandler: requireAbility(ctx.config, 'publish') };

  // ---- Topics -------------------------------------------------------------------------------

  async function renderTopicForm(
    reply: FastifyReply,
    topic: SubscriptionTopic | null,
    form: TopicForm,
    extra: { errors?: Record<string, string>; notice?: string | undefined } = {},
    status = 200,
  ) {
    return reply.html(TopicFormPage({ ctx: await reply.pageContext(), topic, form, ...extra }), status);
  }

  app.get(TOPICS, publish, async (request, reply) =>
    reply.html(
      TopicListPage({ ctx: await reply.pageContext(), topics: await listTopicsWithCounts(ctx), notice: noticeOf(request, TOPIC_NOTICES) }),
    ),
  );

  app.get(`${TOPICS}/new`, publish, async (_request, reply) => renderTopicForm(reply, null, newTopicForm(await nextTopicPosition(ctx))));

  app.post(`${TOPICS}/new`, publish, async (request, reply) => {
    const form = topicFormFromFields(formFields(request));
    try {
      await createSubscriptionTopic(ctx, { form, actor: staffActorOf(request) });
    } catch (error) {
      return renderTopicForm(reply, null, form, { errors: validationFieldsOf(error) }, 400);
    }
    return reply.redirect(`${TOPICS}?notice=created`, 303);
  });

  app.get(`${TOPICS}/:id`, publish, async (request, reply) => {
    const topic = await getSubscriptionTopic(ctx, idOf(request));
    return renderTopicForm(reply, topic, topicFormOf(topic), { notice: noticeOf(request, TOPIC_NOTICES) });
  });

  app.post(`${TOPICS}/:id`, publish, async (request, reply) => {
    const topic = await getSubscriptionTopic(ctx, idOf(request));
    const form = topicFormFromFields(formFields(request));
    let changed: string[];
    try {
      changed = await updateSubscriptionTopic(ctx, { topicId: topic.id, form, actor: staffActorOf(request) });
    } catch (error) {
      return renderTopicForm(reply, topic, form, { errors: validationFieldsOf(error) }, 400);
    }
    return reply.redirect(`${TOPICS}/${topic.id}?notice=${changed.length > 0 ? 'saved' : 'unchanged'}`, 303);
  });

  app.get(`${TOPICS}/:id/delete`, publish, async (request, reply) => {
    const topic = await getSubscriptionTopic(ctx, idOf(request));
    return reply.html(TopicDeletePage({ ctx: await reply.pageContext(), topic, block: await topicDeletionBlock(ctx.db, topic) }));
  });

  app.post(`${TOPICS}/:id/delete`, publish, async (request, reply) => {
    const topic = await getSubscriptionTopic(ctx, idOf(request));
    try {
      await deleteSubscriptionTopic(ctx, { topicId: topic.id, actor: staffActorOf(request) });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error;
      const block = (await topicDeletionBlock(ctx.db, topic)) ?? {
        reason: 'has-subscriptions' as const,
        memberships: 0,
        message: error.message,
      };
      return reply.html(TopicDeletePage({ ctx: await reply.pageContext(), topic, block }), 409);
    }
    return reply.redirect(`${TOPICS}?notice=deleted`, 303);
  });

  // ---- Subscribers --------------------------------------------------------------------------

  app.get(SUBSCRIBERS, publish, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).email;
    const query = typeof raw === 'string' ? raw : '';
    const [overview, search] = await Promise.all([loadSubscriberOverview(ctx), findSubscribers(ctx, query)]);
    const page = SubscribersPage({
      ctx: await reply.pageContext(),
      overview,
      query,
      search,
      notice: noticeOf(request, SUBSCRIBER_NOTICES),
    });
    return reply.html(page, search?.kind === 'invalid' ? 400 : 200);
  });

  app.get(`${SUBSCRIBERS}/:id`, publish, async (request, reply) => {
    const record = await getSubscriberRecord(ctx, { id: idOf(request), page: pageNumber(request.query) });
    return reply.html(SubscriberPage({ ctx: await reply.pageContext(), record, notice: noticeOf(request, SUBSCRIBER_NOTICES) }));
  });

  app.post(`${SUBSCRIBERS}/:id/unsubscribe`, publish, async (request, reply) => {
    const result = await unsubscribeSubscriber(ctx, { subscriberId: idOf(request), actor: staffActorOf(request) });
    return reply.redirect(`${SUBSCRIBERS}/${idOf(request)}?notice=${result.changed ? 'unsubscribed' : 'unchanged'}`, 303);
  });

  for (const action of ['suppress', 'delete'] as const) {
    app.get(`${SUBSCRIBERS}/:id/${action}`, publish, async (request, reply) => {
      const subscriber = await getSubscriber(ctx, idOf(request));
      return reply.html(SubscriberActionPage({ ctx: await reply.pageContext(), subscriber, action }));
    });
  }

  app.post(`${SUBSCRIBERS}/:id/suppress`, publish, async (request, reply) => {
    const result = await suppressSubscriber(ctx, { subscriberId: idOf(request), actor: staffActorOf(request) });
    return reply.redirect(`${SUBSCRIBERS}/${idOf(request)}?notice=${result.changed ? 'suppressed' : 'unchanged'}`, 303);
  });

  app.post(`${SUBSCRIBERS}/:id/delete`, publish, async (request, reply) => {
    await deleteSubscriber(ctx, { subscriberId: idOf(request), actor: staffActorOf(request) });
    return reply.redirect(`${SUBSCRIBERS}?notice=deleted`, 303);
  });
};
