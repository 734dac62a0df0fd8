import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { PublishingContactMessagesTable } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';

export type ContactMessage = Selectable<PublishingContactMessagesTable>;

/** One Contact Us message for the inbox; NOT_FOUND when there is none with that id. */
export async function getContactMessage(ctx: AppContext, id: number): Promise<ContactMessage> {
  // A non-integer could never match, and PostgreSQL would reject it in a bigint comparison.
  if (!Number.isSafeInteger(id) || id < 1) throw notFound('That message');
  const row = await ctx.db.selectFrom('publishing_contact_messages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('That message');
  return { ...row, id: Number(row.id) };
}
