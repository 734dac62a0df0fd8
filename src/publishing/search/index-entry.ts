import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { type IndexEntry, loadPublishedEntries } from './entry-source.ts';
import { type SearchKind, searchDb, searchKinds } from './tables.ts';

export type { SearchKind } from './tables.ts';

/** Rows read and written per round trip during a rebuild. */
const REBUILD_BATCH = 250;

/**
 * Brings the search entry of one article, event or resource in line with its row: indexed when
 * published, removed otherwise. Call it after every change of content or state.
 */
export async function refreshSearchEntry(ctx: Pick<AppContext, 'db' | 'dialect'>, entry: { kind: SearchKind; id: string }): Promise<void> {
  await inTransaction(ctx.db, async (db) => {
    const { entries } = await loadPublishedEntries(db, entry.kind, { ids: [entry.id] });
    // Delete and insert rather than update: the topic links and (on SQLite) the FTS rows follow
    // the entry's id, so a fresh row keeps them all consistent in one obvious way.
    const sdb = searchDb(db);
    const old = sdb.selectFrom('publishing_search_entries').select('id').where('kind', '=', entry.kind).where('ref_id', '=', entry.id);
    // The foreign key cascades too; deleting the links explicitly does not depend on the SQLite pragma.
    await sdb.deleteFrom('publishing_search_entry_topics').where('entry_id', 'in', old).execute();
    await sdb.deleteFrom('publishing_search_entries').where('kind', '=', entry.kind).where('ref_id', '=', entry.id).execute();
    await insertEntries(db, entries);
  });
}

/** Re-indexes everything published (after seeding, or to repair the index). */
export async function rebuildSearchIndex(ctx: Pick<AppContext, 'db' | 'dialect'>): Promise<number> {
  // One transaction: readers keep seeing the old index until the new one is complete.
  return inTransaction(ctx.db, async (db) => {
    await searchDb(db).deleteFrom('publishing_search_entry_topics').execute();
    await searchDb(db).deleteFrom('publishing_search_entries').execute();
    let count = 0;
    for (const kind of searchKinds) {
      let after: string | null = null;
      for (;;) {
        const batch: Awaited<ReturnType<typeof loadPublishedEntries>> = await loadPublishedEntries(db, kind, {
          after,
          limit: REBUILD_BATCH,
        });
        await insertEntries(db, batch.entries);
        count += batch.entries.length;
        if (batch.lastId === undefined || batch.entries.length < REBUILD_BATCH) break;
        after = batch.lastId;
      }
    }
    return count;
  });
}

async function insertEntries(db: Db, entries: IndexEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const inserted = await searchDb(db)
    .insertInto('publishing_search_entries')
    .values(
      entries.map((e) => ({
        kind: e.kind,
        ref_id: e.refId,
        title: e.title,
        summary: e.summary,
        body: e.body,
        url: e.url,
        published_at: e.publishedAt,
      })),
    )
    .returning(['id', 'kind', 'ref_id'])
    .execute();
  // RETURNING order is not promised to follow VALUES order: match rows by their reference.
  const idOf = new Map(inserted.map((row) => [`${row.kind}:${row.ref_id}`, row.id]));
  const links = entries.flatMap((e) => e.topicIds.map((topicId) => ({ topic_id: topicId, entry_id: idOf.get(`${e.kind}:${e.refId}`)! })));
  if (links.length > 0) await searchDb(db).insertInto('publishing_search_entry_topics').values(links).execute();
}

function inTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  // Callers that already hold a transaction (a publish use-case) keep their atomicity.
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
