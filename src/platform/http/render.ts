import type { FastifyInstance, FastifyReply } from 'fastify';
import type { JSX } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Config } from '../../config.ts';
import { mayPostponeSecondFactor } from '../auth/policies.ts';
import type { Db } from '../db/database.ts';
import { getSiteSettings } from '../settings/site-settings.ts';
import type { PageContext } from '../views/page-context.ts';

/** Renders a whole-document JSX tree. preact-render-to-string escapes every text and attribute. */
export function renderDocument(page: JSX.Element): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}

/** Adds `reply.html()` and `reply.pageContext()`. */
export function registerRendering(app: FastifyInstance, deps: { db: Db; config: Config }): void {
  app.decorateReply('html', function (this: FastifyReply, page: JSX.Element, status = 200) {
    return this.status(status).type('text/html; charset=utf-8').send(renderDocument(page));
  });

  app.decorateReply('pageContext', async function (this: FastifyReply): Promise<PageContext> {
    return buildPageContext(this, deps);
  });
}

async function buildPageContext(reply: FastifyReply, deps: { db: Db; config: Config }): Promise<PageContext> {
  const request = reply.request;
  const settings = await getSiteSettings(deps.db);
  const session = request.auth && !request.auth.awaitingSecondFactor ? request.auth : null;
  let csrfToken: string | undefined;
  return {
    // helmet generates a fresh nonce per response.
    nonce: reply.cspNonce?.script ?? '',
    // Only pages that show a form ask for a token, so public pages set no cookie and stay cacheable.
    get csrfToken() {
      csrfToken ??= reply.generateCsrf();
      return csrfToken;
    },
    settings,
    viewer: session
      ? {
          displayName: session.user.display_name,
          email: session.user.email,
          staffRole: session.user.staff_role,
          hasSecondFactor: session.user.totp_enabled_at !== null,
        }
      : null,
    path: request.url.split('?')[0] ?? '/',
    secondFactorPostponed: session !== null && mayPostponeSecondFactor(deps.config, session) && !session.secondFactorVerified,
  };
}
