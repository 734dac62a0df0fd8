import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { EngineMatches, EngineSearch } from './engine.ts';
import { toFts5Match } from './query-text.ts';
import { MARK_END, MARK_START } from './snippet-html.ts';

// SQLite: FTS5 MATCH over the publishing_search index, bm25() ranking, snippet() highlights.
// bm25 weights per column (kind, ref_id, title, summary, body): a title match counts ten times a
// body match, so a result named after the query comes first. bm25 is lower-is-better.
//
// Three small queries instead of one join, because a common word matches most of the archive:
//   1. rank: the FTS table alone, so the ~10,000 matches of "community" are ranked without
//      touching the entries' rows (wide: they hold the text);
//   2. count: FTS5 counts matches without ranking them (skipped when the first page is short);
//   3. page: rows and snippet() for the page only (snippet re-reads the whole text).
// Filters are `+rowid in (…)`: the unary plus keeps the IN list away from FTS5's planner, which
// would otherwise run the full-text query once per listed id (seconds instead of milliseconds).

/** Tokens around a match in a body snippet (FTS5 allows up to 64). */
const SNIPPET_TOKENS = 28;

export async function searchSqlite(db: Db, search: EngineSearch): Promise<EngineMatches> {
  const match = toFts5Match(search.query);
  if (match === '') return { total: 0, rows: [] };
  const filters = [
    ...(search.kind ? [sql`and +publishing_search.rowid in (select id from publishing_search_entries where kind = ${search.kind})`] : []),
    ...(search.topicId
      ? [sql`and +publishing_search.rowid in (select entry_id from publishing_search_entry_topics where topic_id = ${search.topicId})`]
      : []),
  ];
  const where = sql`publishing_search match ${match} ${sql.join(filters, sql` `)}`;
  const ranked = await sql<{ id: number }>`
    select rowid as id from publishing_search
    where ${where}
    order by bm25(publishing_search, 0.0, 0.0, 10.0, 4.0, 1.0), rowid
    limit ${search.limit} offset ${search.offset}`.execute(db);
  // A short first page is the whole result; otherwise count (cheap: FTS5 need not rank to count).
  const total =
    search.offset === 0 && ranked.rows.length < search.limit
      ? ranked.rows.length
      : ((await sql<{ n: number }>`select count(*) as n from publishing_search where ${where}`.execute(db)).rows[0]?.n ?? 0);
  if (ranked.rows.length === 0) return { total, rows: [] };

  // snippet() only works inside a MATCH query, so the page is asked for again by rowid.
  const page = await sql<{
    id: number;
    kind: string;
    ref_id: string;
    title: string;
    url: string;
    published_at: string | null;
    summary_snippet: string;
    body_snippet: string;
  }>`
    select e.id, e.kind, e.ref_id, e.title, e.url, e.published_at,
      snippet(publishing_search, 3, ${MARK_START}, ${MARK_END}, '…', 64) as summary_snippet,
      snippet(publishing_search, 4, ${MARK_START}, ${MARK_END}, '…', ${SNIPPET_TOKENS}) as body_snippet
    from publishing_search join publishing_search_entries e on e.id = publishing_search.rowid
    where publishing_search match ${match} and +publishing_search.rowid in (${sql.join(ranked.rows.map((r) => r.id))})`.execute(db);
  const byId = new Map(page.rows.map((row) => [row.id, row]));
  return {
    total,
    rows: ranked.rows.flatMap(({ id }) => {
      const row = byId.get(id);
      if (!row) return [];
      return [
        {
          kind: row.kind,
          refId: row.ref_id,
          title: row.title,
          url: row.url,
          publishedAt: row.published_at,
          summarySnippet: row.summary_snippet,
          bodySnippet: row.body_snippet,
        },
      ];
    }),
  };
}
