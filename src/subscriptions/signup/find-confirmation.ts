import type { Selectable } from 'kysely';
import { hashToken, looksLikeToken } from '../../platform/auth/tokens.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SubscriptionRequestsTable, SubscriptionTopic } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { isBlockedAddress } from '../suppression.ts';
import { topicsForRequest } from './requested-topics.ts';

export const INVALID_CONFIRMATION_LINK = 'This confirmation link';

/**
 * The request a confirmation token belongs to, if the token is well formed, known and unexpired;
 * otherwise undefined, with no hint which of these failed. `lock` takes the row lock on
 * PostgreSQL, for the transaction that confirms.
 */
export async function requestForToken(
  ctx: AppContext,
  db: Db,
  token: unknown,
  options: { lock?: boolean } = {},
): Promise<Selectable<SubscriptionRequestsTable> | undefined> {
  if (!looksLikeToken(token)) return undefined;
  return db
    .selectFrom('subscription_requests')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', iso(ctx.clock.now()))
    .$if(options.lock === true && ctx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
}

export interface PendingConfirmation {
  email: string;
  topics: SubscriptionTopic[];
}

/**
 * What the confirmation page shows: the address and the topics confirming will give. Reads only,
 * since mail scanners open links; a link that cannot be used is NOT_FOUND.
 */
export async function findConfirmation(ctx: AppContext, token: unknown): Promise<PendingConfirmation> {
  const request = await requestForToken(ctx, ctx.db, token);
  if (!request || (await isBlockedAddress(ctx.db, ctx.config.secret, request.email))) throw notFound(INVALID_CONFIRMATION_LINK);
  return { email: request.email, topics: await topicsForRequest(ctx.db, request) };
}
