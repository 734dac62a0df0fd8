import type { FastifyRequest } from 'fastify';
import type { Config } from '../../../config.ts';
import { checkAbility } from '../../../platform/auth/policies.ts';
import { AppError } from '../../../platform/errors.ts';

/**
 * Who is making an editorial change. `mayPublish` is decided once, from the session (role and
 * second factor), so use-cases can refuse publishing even when a route forgot its guard.
 */
export interface Actor {
  userId: string | null;
  /** What the revision history and audit log show: an e-mail address, or "system". */
  email: string;
  mayPublish: boolean;
}

/** The scheduled-publishing job acts as the system. */
export const systemActor: Actor = { userId: null, email: 'system', mayPublish: true };

/** The actor of a request that passed an editorial guard. */
export function actorOf(request: FastifyRequest, config: Config): Actor {
  const session = request.auth;
  if (!session) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return {
    userId: session.user.id,
    email: session.user.email,
    mayPublish: checkAbility(config, session, 'publish') === 'allowed',
  };
}

export const PUBLISHED_CONTENT_MESSAGE =
  'This is published: changes to it go live at once, so only a publisher can make them. Ask a publisher, or have it unpublished first.';

/** Use-case level check: only publishers (and administrators) change what readers see. */
export function assertMayPublish(actor: Actor, message = 'Only a publisher can do this. Ask a publisher or an administrator.'): void {
  if (!actor.mayPublish) throw new AppError('FORBIDDEN', message);
}

/** The audit fields every editorial change carries. */
export function auditActor(actor: Actor) {
  return { actor: actor.email, actorUserId: actor.userId };
}
