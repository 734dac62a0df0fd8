import { destroySession, type SessionState } from '../platform/auth/sessions.ts';
import type { AppContext } from '../platform/context.ts';

/** Ends the session on the server; the cookie is cleared by the route. */
export async function signOut(ctx: AppContext, options: { session: SessionState; ip?: string }): Promise<void> {
  await destroySession(ctx.db, options.session.tokenHash);
  await ctx.audit.record({
    action: 'auth.signed_out',
    actor: options.session.user.email,
    actorUserId: options.session.user.id,
    ip: options.ip,
  });
}
