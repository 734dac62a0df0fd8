import type { FastifyReply } from 'fastify';
import { AppError, validationFieldsOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { formFields, formValues } from '../../platform/http/form.ts';
import { subscriberLinks } from '../keys.ts';
import { linkCheckLimit } from '../link-rate-limit.ts';
import { DISPATCH_TOPIC_SLUG, listTopics } from '../topics.ts';
import { confirmSubscription } from './confirm-subscription.ts';
import { findConfirmation } from './find-confirmation.ts';
import { CONFIRM_POSTS_PER_HOUR, RATE_LIMIT_WINDOW_MS, SUBSCRIBE_POSTS_PER_HOUR } from './signup-rules.ts';
import { chosenTopics, signupSource, subscribe } from './subscribe.ts';
import { CheckEmailPage, ConfirmedPage, ConfirmPage, InvalidLinkPage, SubscribePage } from './views/signup-pages.tsx';

/** A prefilled address from the subscribe box is shown back as typed, within reason. */
const PREFILL_MAX = 320;

function queryText(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

const limit = (max: number, message: string) => ({
  config: {
    rateLimit: {
      max,
      timeWindow: RATE_LIMIT_WINDOW_MS,
      errorResponseBuilder: () => new AppError('RATE_LIMITED', message),
    },
  },
});

/** The confirmation link's pages never go into a shared or browser cache (the URL holds a secret). */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** `/subscribe` and `/subscribe/confirm/:token`: the public sign-up with double opt-in. */
export const signupRoutes: FeatureRoutes = async (app, ctx) => {
  app.get('/subscribe', async (request, reply) => {
    const topics = await listTopics(ctx.db, { audience: 'public' });
    const email = queryText(request.query, 'email');
    // ?topic=<slug> (a link from a topic) pre-checks that topic; otherwise the newsletter itself.
    const slug = queryText(request.query, 'topic');
    const preselected = topics.find((topic) => topic.slug === slug) ?? topics.find((topic) => topic.slug === DISPATCH_TOPIC_SLUG);
    return reply.html(
      SubscribePage({
        ctx: await reply.pageContext(),
        topics,
        values: {
          email: email?.slice(0, PREFILL_MAX),
          topicIds: preselected ? [preselected.id] : [],
          // Arriving with an address means the box on another page sent the person here.
          source: email === undefined ? 'subscribe-page' : 'subscribe-box',
        },
        errors: {},
      }),
    );
  });

  app.post(
    '/subscribe',
    limit(
      SUBSCRIBE_POSTS_PER_HOUR,
      'There have been too many sign-ups from your network in the last hour. Please wait an hour and try again.',
    ),
    async (request, reply) => {
      const form = formFields(request);
      const email = form.email ?? '';
      const topicIds = formValues(request, 'topics');
      try {
        await subscribe(ctx, {
          email,
          topicIds,
          source: form.source,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
      } catch (error) {
        const errors = validationFieldsOf(error);
        const topics = await listTopics(ctx.db, { audience: 'public' });
        return reply.html(
          SubscribePage({
            ctx: await reply.pageContext(),
            topics,
            values: { email, topicIds: chosenTopics(topics, topicIds).map((topic) => topic.id), source: signupSource(form.source) },
            errors,
          }),
          400,
        );
      }
      return reply.html(CheckEmailPage({ ctx: await reply.pageContext(), email: email.trim() }));
    },
  );

  app.get('/subscribe/confirm/:token', linkCheckLimit, async (request, reply) => {
    noStore(reply);
    const token = (request.params as { token: string }).token;
    try {
      const confirmation = await findConfirmation(ctx, token);
      return reply.html(ConfirmPage({ ctx: await reply.pageContext(), token, ...confirmation }));
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND')
        return reply.html(InvalidLinkPage({ ctx: await reply.pageContext() }), 404);
      throw error;
    }
  });

  app.post(
    '/subscribe/confirm/:token',
    limit(
      CONFIRM_POSTS_PER_HOUR,
      'There have been too many confirmations from your network in the last hour. Please wait an hour and try again.',
    ),
    async (request, reply) => {
      noStore(reply);
      try {
        const confirmed = await confirmSubscription(ctx, { token: (request.params as { token: string }).token });
        const { preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: confirmed.subscriberId });
        return reply.html(
          ConfirmedPage({ ctx: await reply.pageContext(), email: confirmed.email, topics: confirmed.topics, preferencesUrl }),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND')
          return reply.html(InvalidLinkPage({ ctx: await reply.pageContext() }), 404);
        throw error;
      }
    },
  );
};
