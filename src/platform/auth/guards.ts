import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';
import { checkAbility, type StaffAbility } from './policies.ts';

function signInRedirect(request: FastifyRequest, reply: FastifyReply) {
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  return reply.redirect(`/login${next}`, 303);
}

/** A route preHandler: the request must come from a signed-in person (second factor settled). */
export function requireSignedIn(): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (!request.auth || request.auth.awaitingSecondFactor) return signInRedirect(request, reply);
  };
}

/**
 * A route preHandler for staff abilities. Not signed in → the sign-in page; wrong role → 403;
 * a privileged ability without a second factor → the enrolment page (or 403 for a form post).
 */
export function requireAbility(config: Config, ability: StaffAbility): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const verdict = checkAbility(config, request.auth, ability);
    if (verdict === 'allowed') return;
    if (verdict === 'sign-in') return signInRedirect(request, reply);
    if (verdict === 'second-factor') {
      if (request.method === 'GET') return reply.redirect('/account/second-factor', 303);
      throw new AppError('FORBIDDEN', 'This action needs a second factor. Set one up on your account page first.');
    }
    throw new AppError('FORBIDDEN', 'Your role does not allow this. Ask an administrator if you need access.');
  };
}
