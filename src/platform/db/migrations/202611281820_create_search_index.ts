import { type Kysely, sql } from 'kysely';
import { isPostgres, timestamp, withSerialId } from './helpers.ts';

// Full-text search index over published articles, events and resources (owned by publishing/search).
//
// Both engines share one plain table, publishing_search_entries: one row per published item with
// the text to search (title, summary, body) and what a result shows (url, published_at). Topic
// filters use a side table of (topic_id, entry_id) pairs. Only the text index differs:
//   SQLite: the FTS5 table publishing_search, an external-content index over the entries table kept
//           in step by triggers (so snippet() reads the text from the entries, stored once);
//   PostgreSQL: a generated tsvector column (title A, summary B, body C) with a GIN index.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);

  let entries = withSerialId(db, db.schema.createTable('publishing_search_entries'))
    // article | event | resource, and the id of the row in its own table.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    // Plain text: the Markdown body (rendered and stripped), authors, hosts, publisher, topic names.
    .addColumn('body', 'text', (c) => c.notNull())
    // Where a result links: /articles/:slug, /events/:slug, or a resource's own address.
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('published_at', timestamp)
    .addUniqueConstraint('publishing_search_entries_ref', ['kind', 'ref_id']);
  if (postgres) {
    entries = entries.addColumn('document', sql`tsvector`, (c) =>
      c
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') || setweight(to_tsvector('english', body), 'C')`,
        )
        .stored(),
    );
  }
  await entries.execute();
  await db.schema.createIndex('publishing_search_entries_kind').on('publishing_search_entries').column('kind').execute();

  await db.schema
    .createTable('publishing_search_entry_topics')
    .addColumn('topic_id', 'text', (c) => c.notNull().references('publishing_topics.id').onDelete('cascade'))
    .addColumn('entry_id', postgres ? 'bigint' : 'integer', (c) =>
      c.notNull().references('publishing_search_entries.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('publishing_search_entry_topics_pk', ['topic_id', 'entry_id'])
    .execute();
  await db.schema.createIndex('publishing_search_entry_topics_entry').on('publishing_search_entry_topics').column('entry_id').execute();

  if (postgres) {
    await sql`CREATE INDEX publishing_search_entries_document ON publishing_search_entries USING gin (document)`.execute(db);
    return;
  }

  // Porter stemming over unicode61 matches PostgreSQL's English stemming closely enough that
  // "policing" finds "police" on both engines.
  await sql`CREATE VIRTUAL TABLE publishing_search USING fts5(
      kind UNINDEXED, ref_id UNINDEXED, title, summary, body,
      content='publishing_search_entries', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
  // An external-content index must be told the old text to remove it: these triggers do so.
  await sql`CREATE TRIGGER publishing_search_entries_ai AFTER INSERT ON publishing_search_entries BEGIN
      INSERT INTO publishing_search(rowid, kind, ref_id, title, summary, body)
      VALUES (new.id, new.kind, new.ref_id, new.title, new.summary, new.body);
    END`.execute(db);
  await sql`CREATE TRIGGER publishing_search_entries_ad AFTER DELETE ON publishing_search_entries BEGIN
      INSERT INTO publishing_search(publishing_search, rowid, kind, ref_id, title, summary, body)
      VALUES ('delete', old.id, old.kind, old.ref_id, old.title, old.summary, old.body);
    END`.execute(db);
  await sql`CREATE TRIGGER publishing_search_entries_au AFTER UPDATE ON publishing_search_entries BEGIN
      INSERT INTO publishing_search(publishing_search, rowid, kind, ref_id, title, summary, body)
      VALUES ('delete', old.id, old.kind, old.ref_id, old.title, old.summary, old.body);
      INSERT INTO publishing_search(rowid, kind, ref_id, title, summary, body)
      VALUES (new.id, new.kind, new.ref_id, new.title, new.summary, new.body);
    END`.execute(db);
}
