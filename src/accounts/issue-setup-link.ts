import { randomUUID } from 'node:crypto';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { StaffRole } from '../platform/db/schema.ts';
import { AppError } from '../platform/errors.ts';
import { issueAuthToken, SETUP_LINK_TTL_MS } from './auth-tokens.ts';
import { normaliseEmail } from './email-address.ts';

export interface SetupLink {
  url: string;
  expiresAt: string;
  userId: string | null;
}

/**
 * Creates (or re-invites) a staff account and returns a one-time link where its owner chooses a
 * password. An active account is refused: it has a password and must use recovery instead.
 */
export async function issueSetupLink(
  ctx: AppContext,
  options: { email: string; displayName?: string; role: StaffRole; actor: string; actorUserId?: string | null },
): Promise<SetupLink> {
  const email = normaliseEmail(options.email);
  const now = iso(ctx.clock.now());
  const existing = await ctx.db.selectFrom('users').select(['id', 'status']).where('email', '=', email).executeTakeFirst();
  if (existing && existing.status !== 'invited') {
    throw new AppError('CONFLICT', `${email} already has an account. Use account recovery to reset its password.`);
  }
  const userId = existing?.id ?? randomUUID();
  if (existing) {
    await ctx.db.updateTable('users').set({ staff_role: options.role, updated_at: now }).where('id', '=', userId).execute();
  } else {
    await ctx.db
      .insertInto('users')
      .values({
        id: userId,
        email,
        display_name: options.displayName?.trim() || email.split('@')[0] || email,
        staff_role: options.role,
        status: 'invited',
        password_hash: null,
        totp_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const { token, expiresAt } = await issueAuthToken(ctx, {
    purpose: 'setup',
    userId,
    staffRole: options.role,
    ttlMs: SETUP_LINK_TTL_MS,
  });
  await ctx.audit.record({
    action: 'user.invited',
    actor: options.actor,
    actorUserId: options.actorUserId ?? null,
    subjectType: 'user',
    subjectId: userId,
    details: { email, role: options.role },
  });
  return { url: `${ctx.config.publicUrl}/setup/${token}`, expiresAt, userId };
}

/**
 * On a fresh install, a link to create the first administrator (the page asks for the e-mail).
 * Returns null when an administrator exists, or when an earlier link is still valid: a second
 * start must change nothing, and `dispatch user add` issues a new link on request.
 */
export async function issueFirstAdminLink(ctx: AppContext): Promise<SetupLink | { pendingUntil: string } | null> {
  const admin = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('staff_role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (admin) return null;
  const pending = await ctx.db
    .selectFrom('auth_tokens')
    .select('expires_at')
    .where('purpose', '=', 'setup')
    .where('user_id', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(ctx.clock.now()))
    .executeTakeFirst();
  if (pending) return { pendingUntil: pending.expires_at };
  const { token, expiresAt } = await issueAuthToken(ctx, {
    purpose: 'setup',
    userId: null,
    staffRole: 'admin',
    ttlMs: SETUP_LINK_TTL_MS,
  });
  await ctx.audit.record({ action: 'setup.first_admin_link_issued', actor: 'system', details: { expiresAt } });
  return { url: `${ctx.config.publicUrl}/setup/${token}`, expiresAt, userId: null };
}
