import type { AppContext } from '../../platform/context.ts';
import type { ContactStatus } from '../../platform/db/schema.ts';
import { CONTACT_STATUSES, type ContactStatusFilter } from './contact-status.ts';

export interface ContactMessageSummary {
  id: number;
  created_at: string;
  name: string;
  email: string;
  subject: string;
  status: ContactStatus;
}

export interface ContactMessagePage {
  messages: ContactMessageSummary[];
  /** Messages matching the filter, over all pages. */
  total: number;
  page: number;
  pageCount: number;
  /** How many messages have each status, for the filter's labels. */
  counts: Record<ContactStatus, number>;
}

/** One page of the Contact Us inbox, newest first, optionally for one status only. */
export async function listContactMessages(
  ctx: AppContext,
  options: { status: ContactStatusFilter; page: number; pageSize: number },
): Promise<ContactMessagePage> {
  if (!Number.isInteger(options.page) || options.page < 1) throw new RangeError(`invalid page ${options.page}`);
  if (!Number.isInteger(options.pageSize) || options.pageSize < 1) throw new RangeError(`invalid page size ${options.pageSize}`);

  let query = ctx.db.selectFrom('publishing_contact_messages');
  if (options.status !== 'all') query = query.where('status', '=', options.status);
  const [rows, grouped] = await Promise.all([
    query
      .select(['id', 'created_at', 'name', 'email', 'subject', 'status'])
      // id breaks ties: messages can share a timestamp.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    ctx.db
      .selectFrom('publishing_contact_messages')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
  ]);

  const counts = Object.fromEntries(CONTACT_STATUSES.map((s) => [s, 0])) as Record<ContactStatus, number>;
  for (const row of grouped) if (row.status in counts) counts[row.status] = Number(row.n);
  const total = options.status === 'all' ? CONTACT_STATUSES.reduce((sum, s) => sum + counts[s], 0) : counts[options.status];
  return {
    messages: rows.map((row) => ({ ...row, id: Number(row.id) })),
    total,
    page: options.page,
    pageCount: Math.max(1, Math.ceil(total / options.pageSize)),
    counts,
  };
}
