import type { Kysely } from 'kysely';
import { timestamp } from './helpers.ts';

// CSV imports of subscribers run in two steps: the file is streamed once into a staging table
// (valid rows) and a rejection list (every bad line with its reason), and only when an
// administrator chooses "import the valid rows" are the staged rows moved into `subscribers` in one
// transaction. "Import nothing" drops the staging rows. Either way nothing is half-imported, and
// memory stays flat however large the file: duplicates are found by the staging table's unique
// index, not by a set in memory.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriber_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    // validating | ready | importing | imported | discarded | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('valid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_rows', 'integer', (c) => c.notNull().defaultTo(0))
    // Set when imported: new subscribers, existing ones given topics, and rows skipped (suppressed or unsubscribed).
    .addColumn('imported_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_rows', 'integer', (c) => c.notNull().defaultTo(0))
    // A file-level problem (wrong columns, broken encoding) that stopped validation.
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('finished_at', timestamp)
    .execute();

  await db.schema
    .createTable('subscriber_import_rows')
    .addColumn('import_id', 'text', (c) => c.notNull().references('subscriber_imports.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    // The id the subscriber gets if the address is new.
    .addColumn('subscriber_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text', (c) => c.notNull())
    // JSON array of subscription_topics ids.
    .addColumn('topic_ids', 'text', (c) => c.notNull())
    // Null when the row carried no consent date: imported as pending and asked to confirm.
    .addColumn('consent_at', timestamp)
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriber_import_rows_pk', ['import_id', 'line'])
    .addUniqueConstraint('subscriber_import_rows_email', ['import_id', 'email'])
    .execute();

  await db.schema
    .createTable('subscriber_import_rejections')
    .addColumn('import_id', 'text', (c) => c.notNull().references('subscriber_imports.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriber_import_rejections_pk', ['import_id', 'line'])
    .execute();
}
