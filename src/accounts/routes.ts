import type { FastifyReply, FastifyRequest } from 'fastify';
import { listMyOrganisations } from '../organisations/find-membership.ts';
import { requireSignedIn } from '../platform/auth/guards.ts';
import { mayPostponeSecondFactor } from '../platform/auth/policies.ts';
import { AppError, validationFieldsOf } from '../platform/errors.ts';
import type { FeatureRoutes } from '../platform/http/app.ts';
import { formFields, safeNextPath } from '../platform/http/form.ts';
import { clearSessionCookie, setSessionCookie } from '../platform/http/session-cookie.ts';
import { changePassword } from './change-password.ts';
import { completeSetup, describeSetupLink } from './complete-setup.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from './enrol-second-factor.ts';
import { requestRecovery } from './request-recovery.ts';
import { recoveryLinkIsLive, resetPassword } from './reset-password.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { verifySecondFactor } from './verify-second-factor.ts';
import { AccountPage, EnrolSecondFactorPage } from './views/account-pages.tsx';
import { RecoveryRequestPage, ResetPasswordPage } from './views/recovery-pages.tsx';
import { SetupPage } from './views/setup-page.tsx';
import { SecondFactorPage, SignInPage } from './views/sign-in-pages.tsx';

/** Documented limits (README, "Security"): per client address, per 15 minutes. */
export const SIGN_IN_REQUESTS_PER_IP = 10;
export const RECOVERY_REQUESTS_PER_IP = 5;
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const limitPerIp = (max: number) => ({ config: { rateLimit: { max, timeWindow: FIFTEEN_MINUTES } } });

const requestMeta = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });
const nextOf = (request: FastifyRequest) => safeNextPath((request.query as Record<string, unknown>).next, '');
// Pages reached through secret links, and the forms that set passwords, are never cached.
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Sign in and out, first-time setup, recovery, and the signed-in person's own account page. */
export const accountRoutes: FeatureRoutes = async (app, ctx) => {
  const { config } = ctx;

  app.get('/login', async (request, reply) => {
    if (request.auth?.awaitingSecondFactor) return reply.redirect('/login/second-factor', 303);
    if (request.auth) return reply.redirect(safeNextPath(nextOf(request) || '/account'), 303);
    const signedOut = (request.query as Record<string, unknown>)['signed-out'] === '1';
    return reply.html(
      SignInPage({ ctx: await reply.pageContext(), next: nextOf(request), notice: signedOut ? 'You have signed out.' : undefined }),
    );
  });

  app.post('/login', limitPerIp(SIGN_IN_REQUESTS_PER_IP), async (request, reply) => {
    const form = formFields(request);
    const next = nextOf(request);
    const result = await signIn(ctx, { email: form.email ?? '', password: form.password ?? '', ...requestMeta(request) });
    if (result.kind === 'refused') {
      noStore(reply);
      return reply.html(
        SignInPage({ ctx: await reply.pageContext(), email: form.email, next, error: 'The e-mail address or password is not correct.' }),
        400,
      );
    }
    // A fresh session id at every sign-in: an id planted before sign-in is worthless after it.
    if (request.auth) await signOut(ctx, { session: request.auth, ip: request.ip });
    setSessionCookie(reply, config, result.sessionToken);
    const suffix = next ? `?next=${encodeURIComponent(next)}` : '';
    return reply.redirect(result.awaitingSecondFactor ? `/login/second-factor${suffix}` : safeNextPath(next || '/account'), 303);
  });

  app.get('/login/second-factor', async (request, reply) => {
    if (!request.auth?.awaitingSecondFactor) return reply.redirect('/login', 303);
    return reply.html(SecondFactorPage({ ctx: await reply.pageContext(), next: nextOf(request) }));
  });

  app.post('/login/second-factor', limitPerIp(SIGN_IN_REQUESTS_PER_IP), async (request, reply) => {
    const session = request.auth;
    if (!session?.awaitingSecondFactor) return reply.redirect('/login', 303);
    const result = await verifySecondFactor(ctx, { session, code: formFields(request).code ?? '', ...requestMeta(request) });
    if (result.kind === 'locked') {
      clearSessionCookie(reply, config);
      throw new AppError('RATE_LIMITED', 'Too many wrong codes. Sign in again in 15 minutes.');
    }
    if (result.kind === 'wrong-code') {
      return reply.html(
        SecondFactorPage({
          ctx: await reply.pageContext(),
          next: nextOf(request),
          error: 'That code is not correct. Enter the newest code from your app.',
        }),
        400,
      );
    }
    setSessionCookie(reply, config, result.sessionToken);
    return reply.redirect(safeNextPath(nextOf(request) || '/admin'), 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.auth) await signOut(ctx, { session: request.auth, ip: request.ip });
    clearSessionCookie(reply, config);
    return reply.redirect('/login?signed-out=1', 303);
  });

  app.get('/setup/:token', async (request, reply) => {
    noStore(reply);
    const { token } = request.params as { token: string };
    const link = await describeSetupLink(ctx, token);
    return reply.html(
      SetupPage({
        ctx: await reply.pageContext(),
        token,
        role: link.role,
        email: link.email,
        values: { displayName: link.displayName },
        errors: {},
      }),
    );
  });

  app.post('/setup/:token', limitPerIp(SIGN_IN_REQUESTS_PER_IP), async (request, reply) => {
    noStore(reply);
    const { token } = request.params as { token: string };
    const form = formFields(request);
    try {
      const done = await completeSetup(ctx, {
        token,
        email: form.email,
        displayName: form.displayName ?? '',
        password: form.password ?? '',
        ...requestMeta(request),
      });
      setSessionCookie(reply, config, done.sessionToken);
      return reply.redirect('/account/second-factor', 303);
    } catch (error) {
      const fields = validationFieldsOf(error);
      const link = await describeSetupLink(ctx, token);
      return reply.html(
        SetupPage({
          ctx: await reply.pageContext(),
          token,
          role: link.role,
          email: link.email,
          values: { email: form.email, displayName: form.displayName },
          errors: fields,
        }),
        400,
      );
    }
  });

  app.get('/account/recover', async (_request, reply) => reply.html(RecoveryRequestPage({ ctx: await reply.pageContext(), sent: false })));

  app.post('/account/recover', limitPerIp(RECOVERY_REQUESTS_PER_IP), async (request, reply) => {
    const email = (formFields(request).email ?? '').trim();
    if (!email.includes('@')) {
      return reply.html(
        RecoveryRequestPage({ ctx: await reply.pageContext(), sent: false, error: 'Enter an e-mail address like name@example.gov.' }),
        400,
      );
    }
    await requestRecovery(ctx, { email, ip: request.ip });
    return reply.html(RecoveryRequestPage({ ctx: await reply.pageContext(), sent: true }));
  });

  app.get('/account/recover/:token', async (request, reply) => {
    noStore(reply);
    const { token } = request.params as { token: string };
    if (!(await recoveryLinkIsLive(ctx, token)))
      throw new AppError('NOT_FOUND', 'This recovery link is invalid, expired or already used. Ask for a new one.');
    return reply.html(ResetPasswordPage({ ctx: await reply.pageContext(), token }));
  });

  app.post('/account/recover/:token', limitPerIp(RECOVERY_REQUESTS_PER_IP), async (request, reply) => {
    noStore(reply);
    const { token } = request.params as { token: string };
    try {
      await resetPassword(ctx, { token, newPassword: formFields(request).newPassword ?? '', ip: request.ip });
    } catch (error) {
      const fields = validationFieldsOf(error);
      return reply.html(ResetPasswordPage({ ctx: await reply.pageContext(), token, error: fields.newPassword }), 400);
    }
    clearSessionCookie(reply, config);
    return reply.html(SignInPage({ ctx: await reply.pageContext(), notice: 'Your password has been changed. Sign in with it now.' }));
  });

  app.get('/account', { preHandler: requireSignedIn() }, async (request, reply) => {
    const notice = (request.query as Record<string, string>).notice;
    return reply.html(await renderAccount(request, reply, { notice: notices[notice ?? ''] }));
  });

  app.post('/account/password', { preHandler: requireSignedIn() }, async (request, reply) => {
    const session = request.auth!;
    const form = formFields(request);
    try {
      await changePassword(ctx, {
        session,
        currentPassword: form.currentPassword ?? '',
        newPassword: form.newPassword ?? '',
        signOutOthers: form.signOutOthers === 'on',
        ip: request.ip,
      });
    } catch (error) {
      const fields = validationFieldsOf(error);
      return reply.html(await renderAccount(request, reply, { errors: fields }), 400);
    }
    return reply.redirect('/account?notice=password-changed', 303);
  });

  app.get('/account/second-factor', { preHandler: requireSignedIn() }, async (request, reply) => {
    noStore(reply);
    const pageCtx = await reply.pageContext();
    const enrolment = await startTotpEnrolment(ctx, { email: request.auth!.user.email, siteName: pageCtx.settings.siteName });
    return reply.html(EnrolSecondFactorPage({ ctx: pageCtx, enrolment, postponable: mayPostponeSecondFactor(config, request.auth!) }));
  });

  app.post('/account/second-factor', { preHandler: requireSignedIn(), ...limitPerIp(SIGN_IN_REQUESTS_PER_IP) }, async (request, reply) => {
    const session = request.auth!;
    const form = formFields(request);
    try {
      const { sessionToken } = await confirmTotpEnrolment(ctx, {
        session,
        sealedSecret: form.enrolment ?? '',
        code: form.code ?? '',
        ...requestMeta(request),
      });
      setSessionCookie(reply, config, sessionToken);
      return reply.redirect('/account?notice=second-factor-on', 303);
    } catch (error) {
      const fields = validationFieldsOf(error);
      const pageCtx = await reply.pageContext();
      const enrolment = await startTotpEnrolment(ctx, { email: session.user.email, siteName: pageCtx.settings.siteName });
      return reply.html(
        EnrolSecondFactorPage({
          ctx: pageCtx,
          enrolment,
          error: fields.code,
          postponable: mayPostponeSecondFactor(config, session),
        }),
        400,
      );
    }
  });

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string | undefined; errors?: Record<string, string> },
  ) {
    const { user } = request.auth!;
    return AccountPage({
      ctx: await reply.pageContext(),
      account: { email: user.email, displayName: user.display_name, staffRole: user.staff_role, secondFactorSince: user.totp_enabled_at },
      organisations: await listMyOrganisations(ctx, user.id),
      ...extra,
    });
  }
};

const notices: Record<string, string> = {
  'password-changed': 'Your password has been changed.',
  'second-factor-on': 'Your authenticator app is set up. You will be asked for a code each time you sign in.',
};
