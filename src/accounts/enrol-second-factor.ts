import QRCode from 'qrcode';
import { createSession, destroySession, type SessionState } from '../platform/auth/sessions.ts';
import { matchTotp, newTotpSecret, totpUri } from '../platform/auth/totp.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, validation } from '../platform/errors.ts';
import { totpBox } from './verify-second-factor.ts';

export interface TotpEnrolment {
  /** The seed sealed for the form's hidden field: the browser carries it, but cannot alter it. */
  sealedSecret: string;
  /** The seed for manual entry, grouped in fours. */
  secretForDisplay: string;
  /** An SVG QR code of the otpauth:// URI. */
  qrSvg: string;
}

/** Starts an enrolment: a new seed to scan. Nothing is stored until a code proves the app has it. */
export async function startTotpEnrolment(ctx: AppContext, options: { email: string; siteName: string }): Promise<TotpEnrolment> {
  const secret = newTotpSecret();
  const uri = totpUri(secret, options.email).replace('issuer=Dispatch', `issuer=${encodeURIComponent(options.siteName)}`);
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { sealedSecret: totpBox(ctx).seal(secret), secretForDisplay: secret.match(/.{1,4}/g)?.join(' ') ?? secret, qrSvg };
}

/**
 * Confirms an enrolment with a first code, stores the seed (sealed) and upgrades the session to a
 * new id with the second factor verified.
 */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  options: { session: SessionState; sealedSecret: string; code: string; userAgent?: string; ip?: string },
): Promise<{ sessionToken: string }> {
  const { user } = options.session;
  if (user.totp_enabled_at !== null && !options.session.secondFactorVerified) {
    throw new AppError('FORBIDDEN', 'Sign in with your current authenticator before replacing it.');
  }
  let secret: string;
  try {
    secret = totpBox(ctx).open(options.sealedSecret);
  } catch {
    throw validation({ code: 'The enrolment form expired. Scan the new code below and try again.' });
  }
  const step = matchTotp(secret, options.code, ctx.clock.now());
  if (step === null) {
    throw validation({ code: 'That code did not match. Check the time on your phone and enter the newest 6-digit code.' });
  }
  const now = iso(ctx.clock.now());
  await ctx.db
    .updateTable('users')
    .set({ totp_secret: options.sealedSecret, totp_enabled_at: now, totp_last_step: step, updated_at: now })
    .where('id', '=', user.id)
    .execute();
  await destroySession(ctx.db, options.session.tokenHash);
  const sessionToken = await createSession(ctx.db, ctx.clock, {
    userId: user.id,
    awaitingSecondFactor: false,
    secondFactorVerified: true,
    userAgent: options.userAgent,
  });
  await ctx.audit.record({
    action: 'auth.second_factor.enrolled',
    actor: user.email,
    actorUserId: user.id,
    ip: options.ip,
    details: { kind: 'totp' },
  });
  return { sessionToken };
}
