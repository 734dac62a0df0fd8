import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { LinkNotValidPage } from '../preferences/views/link-not-valid-page.tsx';
import { findUnsubscribeTarget } from './find-unsubscribe-target.ts';
import { unsubscribeWithLink } from './unsubscribe-with-link.ts';
import { UnsubscribedPage, UnsubscribePage } from './views/unsubscribe-pages.tsx';

/**
 * Documented limits (README, "Subscriptions"), per client address per minute. The POST allows more:
 * mailbox providers send their users' one-click requests from a few shared addresses.
 */
export const UNSUBSCRIBE_PAGE_VIEWS_PER_MINUTE = 60;
export const UNSUBSCRIBE_POSTS_PER_MINUTE = 300;
const ONE_MINUTE = 60 * 1000;

/** RFC 8058: the body a mailbox provider posts is the single pair List-Unsubscribe=One-Click. */
function isOneClick(request: FastifyRequest): boolean {
  const body = request.body;
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';
}

/** /unsubscribe/:token (page, form POST and RFC 8058 one-click POST) */
export const unsubscribeRoutes: FeatureRoutes = async (parent, ctx) => {
  await parent.register(async (app) => {
    // RFC 8058 allows the one-click body as multipart/form-data as well as URL-encoded; fields only.
    await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { files: 0, fields: 5, fieldSize: 1024 } });

    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-robots-tag', 'noindex');
    });

    app.get(
      '/unsubscribe/:token',
      { config: { rateLimit: { max: UNSUBSCRIBE_PAGE_VIEWS_PER_MINUTE, timeWindow: ONE_MINUTE } } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const target = await findUnsubscribeTarget(ctx, token);
        if (!target) return reply.html(LinkNotValidPage({ ctx: await reply.pageContext() }), 404);
        return reply.html(UnsubscribePage({ ctx: await reply.pageContext(), token, target }));
      },
    );

    // No CSRF token and no cookie can come with a one-click POST; the signed token authenticates it.
    app.post(
      '/unsubscribe/:token',
      { config: { csrf: false, rateLimit: { max: UNSUBSCRIBE_POSTS_PER_MINUTE, timeWindow: ONE_MINUTE } } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const oneClick = isOneClick(request);
        const done = await unsubscribeWithLink(ctx, { token, oneClick });
        if (!done) return reply.html(LinkNotValidPage({ ctx: await reply.pageContext() }), 404);
        if (oneClick) return reply.type('text/plain; charset=utf-8').send('You are unsubscribed.\n');
        return reply.html(
          UnsubscribedPage({
            ctx: await reply.pageContext(),
            target: done.target,
            unsubscribedFromEverything: done.result.unsubscribedFromEverything,
          }),
        );
      },
    );
  });
};
