import type { AppContext } from '../../platform/context.ts';
import { findUnsubscribeTarget, type UnsubscribeTarget } from './find-unsubscribe-target.ts';
import { type UnsubscribeResult, unsubscribeSubscriber } from './unsubscribe-subscriber.ts';

/**
 * POST /unsubscribe/:token, from our own page or as an RFC 8058 one-click request: takes effect at
 * once, and is a success again when repeated. Null (and nothing changed) for a link that is not valid.
 */
export async function unsubscribeWithLink(
  ctx: AppContext,
  input: { token: string; oneClick: boolean },
): Promise<{ target: UnsubscribeTarget; result: UnsubscribeResult } | null> {
  const target = await findUnsubscribeTarget(ctx, input.token);
  if (!target) return null;
  const result = await unsubscribeSubscriber(ctx, {
    subscriberId: target.subscriberId,
    topicId: target.topic?.id,
    actor: input.oneClick ? 'one-click' : 'subscriber',
  });
  return { target, result };
}
