import type { AppContext } from '../platform/context.ts';
import { hitRateLimit } from '../platform/http/rate-limit.ts';
import { getSiteSettings } from '../platform/settings/site-settings.ts';
import { issueAuthToken, RECOVERY_LINK_TTL_MS } from './auth-tokens.ts';
import { normaliseEmail } from './email-address.ts';

/** Recovery e-mails per address per hour; more requests are silently dropped. */
export const RECOVERY_MAILS_PER_HOUR = 3;

/**
 * Mails a ten-minute, single-use recovery link if the address belongs to an active account.
 * Returns nothing the caller could show: the page answers the same whether or not it exists.
 */
export async function requestRecovery(ctx: AppContext, options: { email: string; ip?: string }): Promise<void> {
  const email = normaliseEmail(options.email).slice(0, 254);
  const perAddress = await hitRateLimit(ctx.db, ctx.clock, `recovery-mail:${email}`, 60 * 60 * 1000);
  const user = await ctx.db.selectFrom('users').select(['id', 'display_name', 'status']).where('email', '=', email).executeTakeFirst();
  await ctx.audit.record({
    action: 'auth.recovery.requested',
    actor: email,
    actorUserId: user?.id ?? null,
    ip: options.ip,
    details: { known: Boolean(user) },
  });
  if (user?.status !== 'active' || perAddress.hits > RECOVERY_MAILS_PER_HOUR) return;

  const { token } = await issueAuthToken(ctx, { purpose: 'recovery', userId: user.id, staffRole: null, ttlMs: RECOVERY_LINK_TTL_MS });
  const settings = await getSiteSettings(ctx.db);
  const link = `${ctx.config.publicUrl}/account/recover/${token}`;
  await ctx.mailer.send({
    from: settings.transactionalFrom,
    to: email,
    subject: `Reset your ${settings.siteName} password`,
    text: [
      `Hello ${user.display_name},`,
      '',
      'Someone asked to reset the password of your staff account. If it was you, open this link within 10 minutes:',
      '',
      link,
      '',
      'The link works once. You will still need your authenticator app to sign in afterwards.',
      'If you did not ask for this, ignore this message: your password has not changed.',
    ].join('\n'),
  });
}
