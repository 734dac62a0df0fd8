import type { Generated } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

// The search tables (migration 202611281820_create_search_index). They are private to
// publishing/search, so their types live here rather than in the shared schema.ts.

export type SearchKind = 'article' | 'event' | 'resource';

export const searchKinds: readonly SearchKind[] = ['article', 'event', 'resource'];

export type SearchEntriesTable = {
  id: Generated<number>;
  kind: SearchKind;
  ref_id: string;
  title: string;
  summary: string;
  body: string;
  url: string;
  published_at: string | null;
};

export type SearchEntryTopicsTable = {
  topic_id: string;
  entry_id: number;
};

// Type aliases, not interfaces: withTables() needs types with an implicit index signature.
export type SearchTables = {
  publishing_search_entries: SearchEntriesTable;
  publishing_search_entry_topics: SearchEntryTopicsTable;
};

/** The database handle (or transaction) with the search tables typed. */
export function searchDb(db: Db) {
  return db.withTables<SearchTables>();
}
