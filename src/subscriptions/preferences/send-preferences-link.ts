import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { hitRateLimit } from '../../platform/http/rate-limit.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { recordSubscriberEvent } from '../history.ts';
import { emailHash } from '../keys.ts';
import { parseSubscriberEmail } from '../subscriber-email.ts';
import { isBlockedAddress } from '../suppression.ts';
import { issueSignInToken, purgeExpiredAccessTokens } from './access-tokens.ts';
import { preferencesLinkMail } from './preferences-link-mail.tsx';

/** Sign-in links mailed to one address per hour; further requests are dropped without a word. */
export const PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR = 3;
const ONE_HOUR = 60 * 60 * 1000;

const payloadSchema = z.object({ email: z.string() });

export type SendPreferencesLinkOutcome = 'sent' | 'unknown' | 'suppressed' | 'rate-limited' | 'invalid';

/**
 * The job behind POST /preferences: mails a single-use, ten-minute sign-in link when the address
 * belongs to a subscriber (any status) that no bounce, complaint or manual block suppresses, and
 * fewer than three links went to it in the last hour. Anything else does nothing; the person was
 * already told "check your e-mail" either way. The outcome is for tests and logs only.
 */
export async function sendPreferencesLink(ctx: AppContext, payload: unknown): Promise<SendPreferencesLinkOutcome> {
  const input = payloadSchema.safeParse(payload);
  const parsed = input.success ? parseSubscriberEmail(input.data.email) : undefined;
  if (!parsed?.ok) return 'invalid';
  const email = parsed.email;

  // Spent and expired links would otherwise pile up; this job is where new ones are made.
  await purgeExpiredAccessTokens(ctx.db, ctx.clock);

  const subscriber = await ctx.db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
  if (!subscriber) return 'unknown';
  if (await isBlockedAddress(ctx.db, ctx.config.secret, email)) return 'suppressed';
  // Keyed by the suppression hash, so the rate-limit table never holds the address itself.
  const perAddress = await hitRateLimit(ctx.db, ctx.clock, `preferences-link:${emailHash(ctx.config.secret, email)}`, ONE_HOUR);
  if (perAddress.hits > PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR) return 'rate-limited';

  const token = await ctx.db.transaction().execute(async (trx) => {
    const issued = await issueSignInToken(trx, ctx.clock, subscriber.id);
    await recordSubscriberEvent(trx, ctx.clock, { subscriberId: subscriber.id, kind: 'preferences_link_sent', actor: 'system' });
    return issued;
  });

  const settings = await getSiteSettings(ctx.db);
  const mail = preferencesLinkMail({
    settings,
    link: `${ctx.config.publicUrl}/preferences/sign-in/${token}`,
    requestPageUrl: `${ctx.config.publicUrl}/preferences`,
  });
  // A failure throws, and the job runner retries with a fresh link (the unsent one just expires).
  await ctx.mailer.send({ from: settings.transactionalFrom, to: email, ...mail });
  return 'sent';
}
