import { randomUUID } from 'node:crypto';
import { hashPassword, passwordProblem } from '../platform/auth/passwords.ts';
import { createSession } from '../platform/auth/sessions.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, validation } from '../platform/errors.ts';
import { consumeAuthToken, findLiveAuthToken } from './auth-tokens.ts';
import { emailSchema } from './email-address.ts';

const INVALID_LINK = 'This setup link is invalid, expired or already used. Ask an administrator for a new one.';

/** What the setup page needs to show: whether it must ask for an e-mail address (first admin). */
export async function describeSetupLink(ctx: AppContext, token: string) {
  const row = await findLiveAuthToken(ctx, 'setup', token);
  if (!row) throw new AppError('NOT_FOUND', INVALID_LINK);
  const user = row.user_id
    ? await ctx.db.selectFrom('users').select(['email', 'display_name']).where('id', '=', row.user_id).executeTakeFirst()
    : undefined;
  return { role: row.staff_role, email: user?.email ?? null, displayName: user?.display_name ?? '' };
}

/**
 * Finishes an invitation: sets the password (and, for the first administrator, the account
 * itself), spends the link and signs the person in. They are then asked to enrol a second factor.
 */
export async function completeSetup(
  ctx: AppContext,
  options: { token: string; email?: string; displayName: string; password: string; userAgent?: string; ip?: string },
): Promise<{ sessionToken: string; userId: string }> {
  const row = await findLiveAuthToken(ctx, 'setup', options.token);
  if (!row) throw new AppError('NOT_FOUND', INVALID_LINK);

  const fields: Record<string, string> = {};
  let email: string | undefined;
  if (!row.user_id) {
    const parsed = emailSchema.safeParse(options.email ?? '');
    if (parsed.success) email = parsed.data;
    else fields.email = parsed.error.issues[0]?.message ?? 'Enter a valid e-mail address.';
  }
  const displayName = options.displayName.trim();
  if (displayName.length === 0) fields.displayName = 'Enter your name as colleagues should see it.';
  if (displayName.length > 120) fields.displayName = 'Use at most 120 characters.';
  const problem = passwordProblem(options.password, { email: email ?? '' });
  if (problem) fields.password = problem;
  if (Object.keys(fields).length > 0) throw validation(fields);

  const passwordHash = await hashPassword(options.password);
  const now = iso(ctx.clock.now());
  const userId = row.user_id ?? randomUUID();

  await ctx.db.transaction().execute(async (trx) => {
    const inner = { ...ctx, db: trx };
    if (!(await consumeAuthToken(inner, row.token_hash))) throw new AppError('NOT_FOUND', INVALID_LINK);
    if (row.user_id) {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, display_name: displayName, status: 'active', updated_at: now })
        .where('id', '=', userId)
        .execute();
    } else {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', email as string)
        .executeTakeFirst();
      if (taken) throw validation({ email: 'An account with this e-mail address already exists.' });
      await trx
        .insertInto('users')
        .values({
          id: userId,
          email: email as string,
          display_name: displayName,
          staff_role: row.staff_role,
          status: 'active',
          password_hash: passwordHash,
          totp_secret: null,
          totp_enabled_at: null,
          totp_last_step: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  });

  await ctx.audit.record({
    action: 'user.setup_completed',
    actor: email ?? userId,
    actorUserId: userId,
    subjectType: 'user',
    subjectId: userId,
    ip: options.ip,
  });
  const sessionToken = await createSession(ctx.db, ctx.clock, {
    userId,
    awaitingSecondFactor: false,
    secondFactorVerified: false,
    userAgent: options.userAgent,
  });
  return { sessionToken, userId };
}
