import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { EngineMatches, EngineSearch } from './engine.ts';
import { LESS_THAN, MARK_END, MARK_START } from './snippet-html.ts';

// PostgreSQL: the GIN-indexed tsvector (title A, summary B, body C), websearch_to_tsquery (which
// accepts any text: quotes, or, -word), ts_rank_cd ranking and ts_headline highlights.

// Weights for D, C, B, A: a title (A) match is worth ten body (C) matches. Normalisation 1 divides
// by the log of the document length, so a long body mentioning a word often does not outrank a
// short item named after it.
const WEIGHTS = '{0.05, 0.1, 0.4, 1.0}';

const summaryOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=45, MinWords=20, ShortWord=2`;
const bodyOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=22, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

export async function searchPostgres(db: Db, search: EngineSearch): Promise<EngineMatches> {
  if (db.isTransaction) return rankAndHighlight(db, search);
  // The planner prices `document @@ query` as a cheap filter and, on a table of some thousands of
  // rows, prefers a sequential scan, which then detoasts every document: 34 ms where the GIN index
  // takes 5 (10,000 articles, see docs/benchmarks.md). SET LOCAL confines the hint to this search.
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return rankAndHighlight(trx, search);
  });
}

async function rankAndHighlight(db: Db, search: EngineSearch): Promise<EngineMatches> {
  // websearch_to_tsquery is immutable: with the query as a constant the planner can use the GIN index.
  const tsquery = sql`websearch_to_tsquery('english', ${search.query})`;
  const filters = [
    ...(search.kind ? [sql`and e.kind = ${search.kind}`] : []),
    ...(search.topicId ? [sql`and e.id in (select entry_id from publishing_search_entry_topics where topic_id = ${search.topicId})`] : []),
  ];
  // ts_headline parses the whole text, so it runs only for the page, joined back after ranking.
  // "<" is swapped for a private-use character first: ts_headline drops anything that looks like a tag.
  const { rows } = await sql<{
    kind: string;
    ref_id: string;
    title: string;
    url: string;
    published_at: string | null;
    total: number;
    summary_snippet: string;
    body_snippet: string;
  }>`
    select e.kind, e.ref_id, e.title, e.url, e.published_at, page.total,
      ts_headline('english', replace(e.summary, '<', ${LESS_THAN}), ${tsquery}, ${summaryOptions}) as summary_snippet,
      ts_headline('english', replace(e.body, '<', ${LESS_THAN}), ${tsquery}, ${bodyOptions}) as body_snippet
    from (
      select e.id, ts_rank_cd(${WEIGHTS}::float4[], e.document, ${tsquery}, 1) as rank, count(*) over () as total
      from publishing_search_entries e
      where e.document @@ ${tsquery} ${sql.join(filters, sql` `)}
      order by rank desc, e.id
      limit ${search.limit} offset ${search.offset}
    ) page
    join publishing_search_entries e on e.id = page.id
    order by page.rank desc, e.id`.execute(db);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && search.offset > 0) {
    const count = await sql<{ n: number }>`
      select count(*) as n from publishing_search_entries e where e.document @@ ${tsquery} ${sql.join(filters, sql` `)}`.execute(db);
    total = count.rows[0]?.n ?? 0;
  }
  return {
    total,
    rows: rows.map((r) => ({
      kind: r.kind,
      refId: r.ref_id,
      title: r.title,
      url: r.url,
      publishedAt: r.published_at,
      summarySnippet: r.summary_snippet,
      bodySnippet: r.body_snippet,
    })),
  };
}
