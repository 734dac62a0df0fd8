import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.ts';

// One number that changes whenever anything a public page shows changes: the public page cache keys
// on it. Triggers keep it current, so no code path can forget to invalidate the cache.
const WATCHED_TABLES = [
  'settings',
  'publishing_topics',
  'publishing_issues',
  'publishing_articles',
  'publishing_article_topics',
  'publishing_events',
  'publishing_event_topics',
  'publishing_resources',
  'publishing_resource_topics',
  'publishing_uploads',
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('content_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('content_version').values({ id: 1, version: 0 }).execute();

  if (isPostgres(db)) {
    await sql`CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$`.execute(db);
    for (const table of WATCHED_TABLES) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_bumps_content_version`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version()`.execute(db);
    }
    return;
  }
  for (const table of WATCHED_TABLES) {
    for (const operation of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_${operation.toLowerCase()}_bumps_content_version`)} AFTER ${sql.raw(operation)} ON ${sql.table(table)}
        BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END`.execute(db);
    }
  }
}
