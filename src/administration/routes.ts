import { z } from 'zod';
import { changeStaffRole, listStaff } from '../accounts/change-staff-role.ts';
import { emailSchema } from '../accounts/email-address.ts';
import { issueSetupLink } from '../accounts/issue-setup-link.ts';
import { endUserSessions, setAccountStatus } from '../accounts/set-account-status.ts';
import { countAuditEntries, listAuditEntries } from '../platform/audit/audit-log.ts';
import { requireAbility } from '../platform/auth/guards.ts';
import { AppError, notFound, validationFieldsOf } from '../platform/errors.ts';
import type { FeatureRoutes } from '../platform/http/app.ts';
import { formFields } from '../platform/http/form.ts';
import { countDevMail, getDevMail, listDevMail, parseDevMail } from '../platform/mail/dev-mailbox.ts';
import { getSiteSettings } from '../platform/settings/site-settings.ts';
import { pageNumber } from '../platform/views/components/pagination.tsx';
import { updateSiteSettings } from './update-site-settings.ts';
import { AuditPage } from './views/audit-page.tsx';
import { DashboardPage } from './views/dashboard-page.tsx';
import { MailboxPage, MailMessagePage } from './views/mail-pages.tsx';
import { SettingsPage } from './views/settings-page.tsx';
import { StaffPage } from './views/staff-page.tsx';

const PAGE_SIZE = 50;

const staffNotices: Record<string, string> = {
  'role-changed': 'Role changed. Their sessions were ended so it applies at once.',
  disabled: 'Account disabled. Its sessions were ended and it can no longer sign in.',
  enabled: 'Account enabled. They can sign in again.',
  'signed-out': 'Signed out everywhere. Their next request goes to the sign-in page.',
};

const inviteSchema = z.object({
  email: emailSchema,
  displayName: z.string().trim().max(120, 'Use at most 120 characters.').optional(),
  role: z.enum(['admin', 'editor', 'publisher'], 'Choose a role.'),
});

const roleSchema = z.enum(['admin', 'editor', 'publisher', 'none']);

function mailId(params: unknown): number {
  const raw = (params as { id: string }).id;
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('VALIDATION', 'A message number is a whole number.');
  return Number(raw);
}

/** The admin area: overview, staff, settings, dev mailbox and audit log. */
export const administrationRoutes: FeatureRoutes = async (app, ctx) => {
  const enter = { preHandler: requireAbility(ctx.config, 'enterAdmin') };
  const administer = { preHandler: requireAbility(ctx.config, 'administer') };
  const actorOf = (request: { auth: { user: { id: string; email: string } } | null }) => ({
    id: request.auth!.user.id,
    email: request.auth!.user.email,
  });

  app.get('/admin', enter, async (_request, reply) => {
    const [staff, mail] = await Promise.all([listStaff(ctx), countDevMail(ctx.db)]);
    return reply.html(
      DashboardPage({
        ctx: await reply.pageContext(),
        counts: { staff: staff.length, mail, mailKind: ctx.mailer.kind, database: ctx.dialect },
      }),
    );
  });

  app.get('/admin/users', administer, async (request, reply) => {
    const notice = staffNotices[(request.query as Record<string, string>).notice ?? ''];
    return reply.html(StaffPage({ ctx: await reply.pageContext(), staff: await listStaff(ctx), notice }));
  });

  app.post('/admin/users', { ...administer, config: { rateLimit: { max: 30, timeWindow: 60 * 60 * 1000 } } }, async (request, reply) => {
    const form = formFields(request);
    const parsed = inviteSchema.safeParse({ ...form, displayName: form.displayName || undefined });
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
      return reply.html(StaffPage({ ctx: await reply.pageContext(), staff: await listStaff(ctx), errors, values: form }), 400);
    }
    const actor = actorOf(request);
    let link: Awaited<ReturnType<typeof issueSetupLink>>;
    try {
      link = await issueSetupLink(ctx, { ...parsed.data, actor: actor.email, actorUserId: actor.id });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error;
      return reply.html(
        StaffPage({ ctx: await reply.pageContext(), staff: await listStaff(ctx), errors: { email: error.message }, values: form }),
        409,
      );
    }
    const settings = await getSiteSettings(ctx.db);
    await ctx.mailer.send({
      from: settings.transactionalFrom,
      to: parsed.data.email,
      subject: `You have been invited to ${settings.siteName}`,
      text: `${actor.email} invited you to the staff of ${settings.siteName} as ${parsed.data.role}.\n\nChoose your password here (the link works once, for 24 hours):\n\n${link.url}\n`,
    });
    return reply.html(
      StaffPage({ ctx: await reply.pageContext(), staff: await listStaff(ctx), invited: { email: parsed.data.email, url: link.url } }),
    );
  });

  app.post('/admin/users/:id/role', administer, async (request, reply) => {
    const parsed = roleSchema.safeParse(formFields(request).role);
    if (!parsed.success) throw new AppError('VALIDATION', 'Choose editor, publisher, administrator or no staff role.');
    const { id } = request.params as { id: string };
    await changeStaffRole(ctx, { userId: id, role: parsed.data === 'none' ? null : parsed.data, actor: actorOf(request), ip: request.ip });
    return reply.redirect('/admin/users?notice=role-changed', 303);
  });

  app.post('/admin/users/:id/status', administer, async (request, reply) => {
    const status = formFields(request).status;
    if (status !== 'active' && status !== 'disabled') throw new AppError('VALIDATION', 'Choose to enable or disable the account.');
    const { id } = request.params as { id: string };
    await setAccountStatus(ctx, { userId: id, status, actor: actorOf(request), ip: request.ip });
    return reply.redirect(`/admin/users?notice=${status === 'disabled' ? 'disabled' : 'enabled'}`, 303);
  });

  app.post('/admin/users/:id/sessions/end', administer, async (request, reply) => {
    const { id } = request.params as { id: string };
    await endUserSessions(ctx, { userId: id, actor: actorOf(request), ip: request.ip });
    return reply.redirect('/admin/users?notice=signed-out', 303);
  });

  app.get('/admin/settings', administer, async (request, reply) => {
    const saved = (request.query as Record<string, string>).saved === '1';
    return reply.html(SettingsPage({ ctx: await reply.pageContext(), values: await getSiteSettings(ctx.db), saved }));
  });

  app.post('/admin/settings', administer, async (request, reply) => {
    const form = formFields(request);
    try {
      await updateSiteSettings(ctx, { form, actor: actorOf(request), ip: request.ip });
    } catch (error) {
      const fields = validationFieldsOf(error);
      const values = { ...(await getSiteSettings(ctx.db)), ...form, showOfficialBanner: form.showOfficialBanner === 'on' };
      return reply.html(SettingsPage({ ctx: await reply.pageContext(), values, errors: fields }), 400);
    }
    return reply.redirect('/admin/settings?saved=1', 303);
  });

  app.get('/admin/audit', administer, async (request, reply) => {
    const page = pageNumber(request.query);
    const [total, entries] = await Promise.all([
      countAuditEntries(ctx.db),
      listAuditEntries(ctx.db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    ]);
    return reply.html(AuditPage({ ctx: await reply.pageContext(), entries, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) }));
  });

  app.get('/admin/mail', administer, async (request, reply) => {
    const page = pageNumber(request.query);
    const [messages, total] = await Promise.all([
      listDevMail(ctx.db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      countDevMail(ctx.db),
    ]);
    return reply.html(
      MailboxPage({
        ctx: await reply.pageContext(),
        messages,
        page,
        pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        smtp: ctx.mailer.kind === 'smtp',
      }),
    );
  });

  app.get('/admin/mail/:id.eml', administer, async (request, reply) => {
    const message = await getDevMail(ctx.db, mailId(request.params));
    if (!message) throw notFound('That message');
    return reply
      .type('message/rfc822')
      .header('content-disposition', `attachment; filename="dispatch-mail-${message.id}.eml"`)
      .send(message.raw);
  });

  app.get('/admin/mail/:id/html', administer, async (request, reply) => {
    const message = await getDevMail(ctx.db, mailId(request.params));
    if (!message) throw notFound('That message');
    const parsed = await parseDevMail(message.raw);
    if (parsed.html === undefined) throw notFound('An HTML part');
    // The message's own markup, shown only inside a sandbox: no script, no forms, no requests out.
    reply.header(
      'content-security-policy',
      "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
    );
    reply.header('x-frame-options', 'SAMEORIGIN');
    return reply.type('text/html; charset=utf-8').send(parsed.html);
  });

  app.get('/admin/mail/:id', administer, async (request, reply) => {
    const message = await getDevMail(ctx.db, mailId(request.params));
    if (!message) throw notFound('That message');
    return reply.html(MailMessagePage({ ctx: await reply.pageContext(), id: message.id, message: await parseDevMail(message.raw) }));
  });
};
