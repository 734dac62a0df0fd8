import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Helpers for migrations only. Like the migrations themselves they are frozen: change one and you
// change history, so add a new helper instead.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing integer primary key named `id` on either engine. */
export function withSerialId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, any>) {
  return isPostgres(db)
    ? table.addColumn('id', sql`bigint generated always as identity`, (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Timestamps are ISO-8601 UTC text ("2024-01-22T16:00:00.000Z") on both engines: they sort as text. */
export const timestamp = 'text' as const;

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
