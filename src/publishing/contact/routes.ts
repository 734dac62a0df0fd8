import type { FastifyRequest } from 'fastify';
import { requireAbility } from '../../platform/auth/guards.ts';
import { AppError, validationFieldsOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { formFields } from '../../platform/http/form.ts';
import { pageNumber } from '../../platform/views/components/pagination.tsx';
import { changeContactStatus } from './change-contact-status.ts';
import { contactStatusFilterSchema, contactStatusSchema } from './contact-status.ts';
import { getContactMessage } from './get-contact-message.ts';
import { listContactMessages } from './list-contact-messages.ts';
import { HONEYPOT_FIELD, submitContactMessage } from './submit-contact-message.ts';
import { ContactPage, ContactThanksPage } from './views/contact-pages.tsx';
import { ContactInboxPage, ContactMessagePageView } from './views/inbox-pages.tsx';

/** Documented limit (README, "Security"): Contact Us posts per client address per hour. */
export const CONTACT_MESSAGES_PER_HOUR = 5;
const ONE_HOUR = 60 * 60 * 1000;

/** Messages per page of the admin inbox. */
export const CONTACT_INBOX_PAGE_SIZE = 25;

/** A message number from the URL: a positive whole number, or a 400. */
function messageId(request: FastifyRequest): number {
  const raw = (request.params as { id: string }).id;
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw new AppError('VALIDATION', 'A message number is a whole number greater than zero.');
  return Number(raw);
}

/** `/contact` and the admin inbox at `/admin/contact`. */
export const contactRoutes: FeatureRoutes = async (app, ctx) => {
  const edit = { preHandler: requireAbility(ctx.config, 'edit') };

  app.get('/contact', async (_request, reply) => reply.html(ContactPage({ ctx: await reply.pageContext(), values: {}, errors: {} })));

  app.post('/contact', { config: { rateLimit: { max: CONTACT_MESSAGES_PER_HOUR, timeWindow: ONE_HOUR } } }, async (request, reply) => {
    const form = formFields(request);
    // What the person typed, to show again; never the hidden field.
    const values = { name: form.name, email: form.email, subject: form.subject, message: form.message };
    try {
      await submitContactMessage(ctx, {
        name: form.name,
        email: form.email ?? '',
        subject: form.subject ?? '',
        message: form.message ?? '',
        honeypot: form[HONEYPOT_FIELD],
      });
    } catch (error) {
      const errors = validationFieldsOf(error);
      return reply.html(ContactPage({ ctx: await reply.pageContext(), values, errors }), 400);
    }
    return reply.html(ContactThanksPage({ ctx: await reply.pageContext() }));
  });

  app.get('/admin/contact', edit, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const status = contactStatusFilterSchema.safeParse(query.status ?? 'new');
    if (!status.success) throw new AppError('VALIDATION', 'Show new, answered, archived or all messages.');
    const list = await listContactMessages(ctx, { status: status.data, page: pageNumber(query), pageSize: CONTACT_INBOX_PAGE_SIZE });
    return reply.html(ContactInboxPage({ ctx: await reply.pageContext(), status: status.data, list }));
  });

  app.get('/admin/contact/:id', edit, async (request, reply) => {
    const message = await getContactMessage(ctx, messageId(request));
    // The notice after a status change; a stale or edited link that no longer matches shows none.
    const changed = contactStatusSchema.safeParse((request.query as Record<string, unknown>).changed);
    const changedTo = changed.success && changed.data === message.status ? changed.data : undefined;
    return reply.html(ContactMessagePageView({ ctx: await reply.pageContext(), message, changedTo }));
  });

  app.post('/admin/contact/:id/status', edit, async (request, reply) => {
    const id = messageId(request);
    const user = request.auth!.user;
    const result = await changeContactStatus(ctx, {
      id,
      status: formFields(request).status ?? '',
      actor: { id: user.id, email: user.email },
      ip: request.ip,
    });
    return reply.redirect(`/admin/contact/${id}?changed=${result.to}`, 303);
  });
};
