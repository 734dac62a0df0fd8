import type { SearchKind } from './tables.ts';

/** A search as each engine receives it: validated, with the topic already resolved to its id. */
export interface EngineSearch {
  query: string;
  kind: SearchKind | undefined;
  topicId: string | undefined;
  limit: number;
  offset: number;
}

/** One ranked match with both candidate snippets, still sentinel-marked plain text. */
export interface EngineMatch {
  kind: string;
  refId: string;
  title: string;
  url: string;
  publishedAt: string | null;
  summarySnippet: string;
  bodySnippet: string;
}

export interface EngineMatches {
  total: number;
  rows: EngineMatch[];
}
