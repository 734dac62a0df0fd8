import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';

/**
 * SQLite's page cache while an import runs, in KiB. The default (2 MB) holds a sliver of the
 * indexes a large import writes into (staging rows by address, subscribers by id and address,
 * memberships, history); with every insert landing on a random page, most would be read again from
 * the file. 64 MB keeps them in memory: measured, it halves a 100,000-row import. It is a bound,
 * not a cost: memory still stays flat however large the file.
 */
export const IMPORT_PAGE_CACHE_KIB = 64 * 1024;

/** Runs `work` with the larger page cache on SQLite (PostgreSQL sizes its own buffers). */
export async function withImportPageCache<T>(ctx: Pick<AppContext, 'db' | 'dialect'>, work: () => Promise<T>): Promise<T> {
  if (ctx.dialect !== 'sqlite') return work();
  const current = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(ctx.db);
  const before = Number(current.rows[0]?.cache_size ?? -2000);
  await sql.raw(`PRAGMA cache_size = ${-IMPORT_PAGE_CACHE_KIB}`).execute(ctx.db);
  try {
    return await work();
  } finally {
    await sql.raw(`PRAGMA cache_size = ${Math.trunc(before)}`).execute(ctx.db);
  }
}
