import type { AppContext } from '../../platform/context.ts';
import type { Subscriber } from '../../platform/db/schema.ts';
import { verifySubscriberLink } from '../keys.ts';
import { subscriberOfSession } from './access-tokens.ts';

/** How a management request proved it speaks for the subscriber. */
export type PreferencesAccess = { kind: 'link'; link: string } | { kind: 'session'; sessionToken: string };

export type ResolvedSubscriber =
  | { kind: 'granted'; subscriber: Subscriber; access: PreferencesAccess }
  /** A link was given but is garbled, forged, for another purpose, or its subscriber is gone: 404. */
  | { kind: 'invalid-link' }
  /** No link and no live session cookie: back to /preferences to ask for a new link. */
  | { kind: 'no-session' };

/**
 * The one place that decides who a preferences request is about, for every management page and
 * form: a signed per-recipient link (the `link` field, or the token in /preferences/open/:token)
 * or else the session cookie a sign-in link opened. A link that is present decides alone, so a
 * bad link never falls back to whatever session the browser also holds.
 */
export async function resolveSubscriber(
  ctx: AppContext,
  input: { link?: string | undefined; sessionToken?: string | undefined },
): Promise<ResolvedSubscriber> {
  if (input.link !== undefined) {
    const subject = verifySubscriberLink(ctx.config.secret, 'preferences', input.link);
    if (!subject || subject.topicId !== undefined) return { kind: 'invalid-link' };
    const subscriber = await findSubscriber(ctx, subject.subscriberId);
    if (!subscriber) return { kind: 'invalid-link' };
    return { kind: 'granted', subscriber, access: { kind: 'link', link: input.link } };
  }
  const subscriberId = await subscriberOfSession(ctx.db, ctx.clock, input.sessionToken);
  const subscriber = subscriberId ? await findSubscriber(ctx, subscriberId) : undefined;
  if (!subscriber || input.sessionToken === undefined) return { kind: 'no-session' };
  return { kind: 'granted', subscriber, access: { kind: 'session', sessionToken: input.sessionToken } };
}

function findSubscriber(ctx: AppContext, id: string): Promise<Subscriber | undefined> {
  return ctx.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}
