import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/** Who runs an import or an export: a staff member on the admin pages, or the operator at the CLI. */
export interface ImportActor {
  userId: string | null;
  /** What the audit log and the imports list show: the staff member's address, or "cli". */
  email: string;
  /** The client address; the audit log keeps only a keyed hash of it. */
  ip?: string | undefined;
}

export const cliActor: ImportActor = { userId: null, email: 'cli' };

/** The actor of a request that passed the route's ability guard. */
export function importActorOf(request: FastifyRequest): ImportActor {
  const user = request.auth?.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return { userId: user.id, email: user.email, ip: request.ip };
}

/** The fields every audit entry of an import or export carries. */
export function auditFieldsOf(actor: ImportActor) {
  return { actor: actor.email, actorUserId: actor.userId, ip: actor.ip };
}
