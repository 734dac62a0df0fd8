import type { Db } from '../../../platform/db/database.ts';
import { ADMIN_PAGE_SIZE, offsetOf } from '../shared/paging.ts';

export function findEvent(db: Db, id: string) {
  return db.selectFrom('publishing_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

/** One page of events, latest start first. */
export async function listEvents(db: Db, options: { page: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('publishing_events')
      .select(['id', 'title', 'kind', 'starts_at', 'time_zone', 'status'])
      .orderBy('starts_at', 'desc')
      .orderBy('id')
      .limit(ADMIN_PAGE_SIZE)
      .offset(offsetOf(options.page))
      .execute(),
    db
      .selectFrom('publishing_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
