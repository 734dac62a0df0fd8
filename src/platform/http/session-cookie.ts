import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import { loadSession, SESSION_ABSOLUTE_MS } from '../auth/sessions.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { cookieName } from './security.ts';

/** Reads the session cookie on every request and exposes the live session as `request.auth`. */
export function registerSessionLoading(app: FastifyInstance, deps: { db: Db; clock: Clock; config: Config }): void {
  const name = cookieName(deps.config, 'dispatch_session');
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    // Static assets never need the session; skip the query for them.
    if (request.url.startsWith('/assets/')) return;
    request.auth = await loadSession(deps.db, deps.clock, request.cookies[name]);
  });
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure and `__Host-` over https. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(cookieName(config, 'dispatch_session'), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secure,
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(cookieName(config, 'dispatch_session'), { path: '/', secure: config.secure, httpOnly: true, sameSite: 'lax' });
}
