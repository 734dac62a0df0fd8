import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { validationFieldsOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { formFields, formValues } from '../../platform/http/form.ts';
import { cookieName } from '../../platform/http/security.ts';
import { linkCheckLimit } from '../link-rate-limit.ts';
import { unsubscribeSubscriber } from '../unsubscribe/unsubscribe-subscriber.ts';
import { endSubscriberSession, exchangeSignInToken, SUBSCRIBER_SESSION_TTL_MS, signInTokenIsLive } from './access-tokens.ts';
import { DELETE_CONFIRMATION_FIELD, deleteSubscriber } from './delete-subscriber.ts';
import { exportSubscriberData, SUBSCRIBER_DATA_FILE_NAME } from './export-subscriber-data.ts';
import { loadPreferences } from './load-preferences.ts';
import { pauseEmail } from './pause-email.ts';
import { requestPreferencesLink } from './request-preferences-link.ts';
import { type PreferencesAccess, type ResolvedSubscriber, resolveSubscriber } from './resolve-subscriber.ts';
import { resumeEmail } from './resume-email.ts';
import { updateTopics } from './update-topics.ts';
import { LinkNotValidPage } from './views/link-not-valid-page.tsx';
import { MANAGE_PAGE_NOTICES, type ManagePageNotice, ManagePreferencesPage } from './views/manage-page.tsx';
import {
  CheckEmailPage,
  PreferencesRequestPage,
  REQUEST_PAGE_NOTICES,
  type RequestPageNotice,
  SignInLinkPage,
  SubscriberDeletedPage,
} from './views/request-link-pages.tsx';

/** Documented limit (README, "Subscriptions"): preference-link requests per client address per hour. */
export const PREFERENCES_LINK_REQUESTS_PER_HOUR = 10;
/** Documented limit: sign-in link uses (Continue) per client address per 15 minutes. */
export const PREFERENCES_SIGN_INS_PER_15_MINUTES = 10;
const ONE_HOUR = 60 * 60 * 1000;
const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** The cookie of a preferences session: `__Host-` and Secure over https, HttpOnly, SameSite=Lax. */
export const subscriberSessionCookie = (config: Config) => cookieName(config, 'dispatch_subscriber');

const noticeIn = <T extends string>(request: FastifyRequest, known: Record<T, unknown>): T | undefined => {
  const value = (request.query as Record<string, unknown>).notice;
  return typeof value === 'string' && Object.hasOwn(known, value) ? (value as T) : undefined;
};

/** Where the management page of this access lives; a notice is added after a change. */
function managePath(access: PreferencesAccess, notice?: ManagePageNotice): string {
  const path = access.kind === 'link' ? `/preferences/open/${access.link}` : '/preferences/manage';
  return notice ? `${path}?notice=${notice}` : path;
}

/** /preferences, /preferences/sign-in/:token, /preferences/open/:token, /preferences/manage… */
export const preferencesRoutes: FeatureRoutes = async (parent, ctx) => {
  // A scope of its own, so the headers below apply to these pages only.
  await parent.register(async (app) => {
    const { config } = ctx;
    const sessionCookie = subscriberSessionCookie(config);

    // Pages behind secret links and sessions: never stored by a browser or a proxy, never indexed.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('x-robots-tag', 'noindex');
    });

    const linkNotValid = async (reply: FastifyReply) => reply.html(LinkNotValidPage({ ctx: await reply.pageContext() }), 404);

    /** Who this management request is about, from the `link` field or the session cookie. */
    const resolve = (request: FastifyRequest, link: string | undefined): Promise<ResolvedSubscriber> =>
      resolveSubscriber(ctx, { link, sessionToken: request.cookies[sessionCookie] });

    /** Answers a request that did not resolve to a subscriber: 404 for a bad link, else ask for a new link. */
    const refuse = (reply: FastifyReply, resolved: Exclude<ResolvedSubscriber, { kind: 'granted' }>) =>
      resolved.kind === 'invalid-link' ? linkNotValid(reply) : reply.redirect('/preferences?notice=expired', 303);

    const renderManage = async (
      reply: FastifyReply,
      granted: Extract<ResolvedSubscriber, { kind: 'granted' }>,
      options: { notice?: ManagePageNotice | undefined; errors?: Record<string, string>; status?: number } = {},
    ) =>
      reply.html(
        ManagePreferencesPage({
          ctx: await reply.pageContext(),
          view: await loadPreferences(ctx, granted.subscriber),
          access: granted.access,
          notice: options.notice,
          errors: options.errors,
        }),
        options.status,
      );

    // --- Ask for a link ------------------------------------------------------------------------

    app.get('/preferences', async (request, reply) =>
      reply.html(
        PreferencesRequestPage({
          ctx: await reply.pageContext(),
          errors: {},
          notice: noticeIn<RequestPageNotice>(request, REQUEST_PAGE_NOTICES),
        }),
      ),
    );

    app.post(
      '/preferences',
      { config: { rateLimit: { max: PREFERENCES_LINK_REQUESTS_PER_HOUR, timeWindow: ONE_HOUR } } },
      async (request, reply) => {
        const email = formFields(request).email ?? '';
        try {
          await requestPreferencesLink(ctx, { email });
        } catch (error) {
          const errors = validationFieldsOf(error);
          return reply.html(PreferencesRequestPage({ ctx: await reply.pageContext(), email, errors }), 400);
        }
        return reply.html(CheckEmailPage({ ctx: await reply.pageContext() }));
      },
    );

    // --- The mailed sign-in link -----------------------------------------------------------------

    app.get('/preferences/sign-in/:token', linkCheckLimit, async (request, reply) => {
      const { token } = request.params as { token: string };
      if (!(await signInTokenIsLive(ctx.db, ctx.clock, token))) return linkNotValid(reply);
      return reply.html(SignInLinkPage({ ctx: await reply.pageContext(), token }));
    });

    app.post(
      '/preferences/sign-in/:token',
      { config: { rateLimit: { max: PREFERENCES_SIGN_INS_PER_15_MINUTES, timeWindow: FIFTEEN_MINUTES } } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const opened = await exchangeSignInToken(ctx.db, ctx.clock, token);
        if (!opened) return linkNotValid(reply);
        // A fresh session id at every sign-in; an older session of this browser is ended.
        await endSubscriberSession(ctx.db, request.cookies[sessionCookie]);
        reply.setCookie(sessionCookie, opened.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secure,
          maxAge: SUBSCRIBER_SESSION_TTL_MS / 1000,
        });
        return reply.redirect('/preferences/manage', 303);
      },
    );

    // --- The management page ---------------------------------------------------------------------

    app.get('/preferences/open/:token', linkCheckLimit, async (request, reply) => {
      const resolved = await resolve(request, (request.params as { token: string }).token);
      if (resolved.kind !== 'granted') return refuse(reply, resolved);
      return renderManage(reply, resolved, { notice: noticeIn<ManagePageNotice>(request, MANAGE_PAGE_NOTICES) });
    });

    app.get('/preferences/manage', linkCheckLimit, async (request, reply) => {
      const resolved = await resolve(request, undefined);
      if (resolved.kind !== 'granted') return refuse(reply, resolved);
      return renderManage(reply, resolved, { notice: noticeIn<ManagePageNotice>(request, MANAGE_PAGE_NOTICES) });
    });

    /** A management form: resolve the subscriber, make the change, then 303 back to the page with a notice. */
    const change = (path: string, apply: (subscriberId: string, request: FastifyRequest) => Promise<ManagePageNotice>) =>
      app.post(path, linkCheckLimit, async (request, reply) => {
        const resolved = await resolve(request, formFields(request).link);
        if (resolved.kind !== 'granted') return refuse(reply, resolved);
        const notice = await apply(resolved.subscriber.id, request);
        return reply.redirect(managePath(resolved.access, notice), 303);
      });

    change('/preferences/manage/topics', async (subscriberId, request) => {
      const fields = formFields(request);
      const frequencies: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) if (name.startsWith('frequency-')) frequencies[name.slice(10)] = value;
      await updateTopics(ctx, { subscriberId, choices: { topicIds: formValues(request, 'topics'), frequencies } });
      return 'saved';
    });

    change('/preferences/manage/pause', async (subscriberId) => {
      await pauseEmail(ctx, { subscriberId });
      return 'paused';
    });

    change('/preferences/manage/resume', async (subscriberId) => {
      await resumeEmail(ctx, { subscriberId });
      return 'resumed';
    });

    change('/preferences/manage/unsubscribe', async (subscriberId) => {
      await unsubscribeSubscriber(ctx, { subscriberId, actor: 'subscriber' });
      return 'unsubscribed';
    });

    app.post('/preferences/manage/export', linkCheckLimit, async (request, reply) => {
      const resolved = await resolve(request, formFields(request).link);
      if (resolved.kind !== 'granted') return refuse(reply, resolved);
      const data = await exportSubscriberData(ctx, { subscriberId: resolved.subscriber.id });
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${SUBSCRIBER_DATA_FILE_NAME}"`)
        .send(`${JSON.stringify(data, null, 2)}\n`);
    });

    app.post('/preferences/manage/delete', linkCheckLimit, async (request, reply) => {
      const fields = formFields(request);
      const resolved = await resolve(request, fields.link);
      if (resolved.kind !== 'granted') return refuse(reply, resolved);
      try {
        await deleteSubscriber(ctx, { subscriberId: resolved.subscriber.id, confirmed: fields[DELETE_CONFIRMATION_FIELD] === 'on' });
      } catch (error) {
        return renderManage(reply, resolved, { errors: validationFieldsOf(error), status: 400 });
      }
      // The session went with the subscriber's tokens; the cookie goes too.
      reply.clearCookie(sessionCookie, { path: '/', secure: config.secure, httpOnly: true, sameSite: 'lax' });
      return reply.redirect('/preferences/deleted', 303);
    });

    app.get('/preferences/deleted', async (_request, reply) => reply.html(SubscriberDeletedPage({ ctx: await reply.pageContext() })));

    app.post('/preferences/manage/sign-out', linkCheckLimit, async (request, reply) => {
      await endSubscriberSession(ctx.db, request.cookies[sessionCookie]);
      reply.clearCookie(sessionCookie, { path: '/', secure: config.secure, httpOnly: true, sameSite: 'lax' });
      return reply.redirect('/preferences?notice=signed-out', 303);
    });
  });
};
