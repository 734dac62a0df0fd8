import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import type { EngineMatch } from './engine.ts';
import { searchPostgres } from './engine-postgres.ts';
import { searchSqlite } from './engine-sqlite.ts';
import { cleanQuery, hasSearchTerms } from './query-text.ts';
import { hasHighlight, snippetToHtml } from './snippet-html.ts';
import { type SearchKind, searchKinds } from './tables.ts';

export interface SearchOptions {
  /** What the reader typed: any text at all; only its first 500 characters are used. */
  q: string;
  kind?: SearchKind | undefined;
  /** A topic slug. */
  topic?: string | undefined;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface SearchResult {
  kind: SearchKind;
  /** The id of the article, event or resource. */
  id: string;
  title: string;
  /** /articles/:slug, /events/:slug, or a resource's own http(s) address ('' if it has none). */
  url: string;
  /** Escaped text with <mark> around matches: safe to insert as HTML. */
  snippetHtml: string;
  /** Articles: when published; events: when they start; resources: when added. */
  publishedAt: string | null;
}

export interface SearchPage {
  /** The query as used (cleaned and capped); '' when it had nothing to search for. */
  query: string;
  total: number;
  results: SearchResult[];
}

export const MAX_PAGE_SIZE = 100;
/** Deep pages are never useful and make the engines rank and skip ever more rows. */
export const MAX_PAGE = 1000;

/**
 * Full-text search over published articles, events and resources, best match first. Never fails
 * on the query text; an unknown kind or topic, or an impossible page, is a VALIDATION error.
 */
export async function searchPublished(ctx: Pick<AppContext, 'db' | 'dialect'>, options: SearchOptions): Promise<SearchPage> {
  const { page, pageSize } = options;
  if (!Number.isSafeInteger(page) || page < 1 || page > MAX_PAGE) throw validation({ page: `Choose a page from 1 to ${MAX_PAGE}.` });
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw validation({ pageSize: `Choose a page size from 1 to ${MAX_PAGE_SIZE}.` });
  }
  if (options.kind !== undefined && !searchKinds.includes(options.kind))
    throw validation({ kind: 'Choose articles, events or resources.' });
  let topicId: string | undefined;
  if (options.topic !== undefined) {
    const topic = await ctx.db.selectFrom('publishing_topics').select('id').where('slug', '=', options.topic).executeTakeFirst();
    if (!topic) throw validation({ topic: 'There is no such topic. Choose one from the list.' });
    topicId = topic.id;
  }

  const query = cleanQuery(options.q);
  if (!hasSearchTerms(query)) return { query: '', total: 0, results: [] };
  const search = { query, kind: options.kind, topicId, limit: pageSize, offset: (page - 1) * pageSize };
  const matches = ctx.dialect === 'postgres' ? await searchPostgres(ctx.db, search) : await searchSqlite(ctx.db, search);
  return { query, total: matches.total, results: matches.rows.map(toResult) };
}

function toResult(match: EngineMatch): SearchResult {
  // The summary is the editor's own précis: show it when it holds a match; otherwise the part of the
  // body around the match; for a match in the title alone, the summary again.
  const snippet = hasHighlight(match.summarySnippet) || !hasHighlight(match.bodySnippet) ? match.summarySnippet : match.bodySnippet;
  return {
    kind: match.kind as SearchKind,
    id: match.refId,
    title: match.title,
    url: match.url,
    snippetHtml: snippetToHtml(snippet),
    publishedAt: match.publishedAt,
  };
}
