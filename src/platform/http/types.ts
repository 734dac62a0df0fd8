import type { JSX } from 'preact';
import type { SessionState } from '../auth/sessions.ts';
import type { PageContext } from '../views/page-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, or null. Loaded once per request from the session cookie. */
    auth: SessionState | null;
  }
  interface FastifyReply {
    /** Builds what the layout needs (settings, nonce, viewer, lazily a CSRF token). */
    pageContext(): Promise<PageContext>;
    /** Renders a JSX page (a whole <html> document) with a doctype and sends it. */
    html(page: JSX.Element, status?: number): FastifyReply;
  }
  interface FastifyContextConfig {
    /**
     * Set to false only where the request cannot carry our token and authenticates itself
     * (RFC 8058 one-click unsubscribe, signed provider webhooks).
     */
    csrf?: false;
  }
}
