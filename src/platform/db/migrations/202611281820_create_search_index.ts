import type { Kysely } from 'kysely';

// Full-text search index over published articles, events and resources (owned by publishing/search).
// SQLite: an FTS5 table; PostgreSQL: a tsvector column with a GIN index.

export async function up(_db: Kysely<any>): Promise<void> {
  // Filled in by the search work.
}
