import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { SubscriberActor } from './history.ts';

/**
 * Who makes a staff change to subscriptions (an admin action, an import, an export): a staff member
 * on the admin pages, or the operator at the CLI. For the audit log and the subscriber's history.
 */
export interface StaffActor {
  /** Null for the CLI. */
  userId: string | null;
  /** What the audit log and the history show: the staff member's address, or "cli". */
  email: string;
  /** The client address; the audit log keeps only a keyed hash of it. */
  ip?: string | undefined;
}

export const cliActor: StaffActor = { userId: null, email: 'cli' };

/** The actor of a request that passed the route's ability guard. */
export function staffActorOf(request: FastifyRequest): StaffActor {
  const user = request.auth?.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  return { userId: user.id, email: user.email, ip: request.ip };
}

/** How a staff change is attributed in a subscriber's history. */
export function historyActorOf(actor: StaffActor): SubscriberActor {
  return `admin:${actor.email}`;
}

/** The fields every audit entry of a staff subscription change carries. */
export function auditFieldsOf(actor: StaffActor) {
  return { actor: actor.email, actorUserId: actor.userId, ip: actor.ip };
}
