import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { ContactStatus } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import { contactStatusSchema } from './contact-status.ts';
import { getContactMessage } from './get-contact-message.ts';

/**
 * Marks a Contact Us message new, answered or archived, and audits the change. Setting the status
 * it already has changes nothing and records nothing.
 */
export async function changeContactStatus(
  ctx: AppContext,
  options: { id: number; status: string; actor: { id: string; email: string }; ip?: string | undefined },
): Promise<{ from: ContactStatus; to: ContactStatus; changed: boolean }> {
  const parsed = contactStatusSchema.safeParse(options.status);
  if (!parsed.success) throw validation({ status: 'Choose new, answered or archived.' }, 'Choose new, answered or archived.');
  const to = parsed.data;
  const message = await getContactMessage(ctx, options.id);
  const from = message.status;
  if (from === to) return { from, to, changed: false };

  await ctx.db
    .updateTable('publishing_contact_messages')
    .set({ status: to, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', message.id)
    .execute();
  await ctx.audit.record({
    action: 'contact.status_changed',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'contact_message',
    subjectId: String(message.id),
    ip: options.ip,
    details: { from, to },
  });
  return { from, to, changed: true };
}
