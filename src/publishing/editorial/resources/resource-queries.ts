import type { Db } from '../../../platform/db/database.ts';
import { ADMIN_PAGE_SIZE, offsetOf } from '../shared/paging.ts';

export function findResource(db: Db, id: string) {
  return db.selectFrom('publishing_resources').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ResourceRow = NonNullable<Awaited<ReturnType<typeof findResource>>>;

/** One page of resources by title. */
export async function listResources(db: Db, options: { page: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('publishing_resources')
      .select(['id', 'title', 'kind', 'publisher', 'status'])
      .orderBy('title')
      .orderBy('id')
      .limit(ADMIN_PAGE_SIZE)
      .offset(offsetOf(options.page))
      .execute(),
    db
      .selectFrom('publishing_resources')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
