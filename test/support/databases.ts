import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { type DatabaseHandle, type Db, openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

export type Engine = 'sqlite' | 'postgres';

const postgresUrl = process.env.TEST_DATABASE_URL;
const inCi = process.env.CI === 'true';

if (inCi && !postgresUrl) {
  // Under CI a missing PostgreSQL must fail the run, never quietly halve it.
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run.');
}

/** A migrated, empty database on the given engine; PostgreSQL gets a schema of its own. */
export async function createTestDatabase(engine: Engine): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const handle = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(handle.db);
    return { ...handle, drop: handle.close };
  }
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase({ databaseUrl: postgresUrl, pgSchema: schema, pgPoolSize: 4 });
  await migrateWithRetry(handle);
  return {
    ...handle,
    async drop() {
      await handle.close();
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

// Kysely's migrator introspects every schema of the database; when another test file drops its
// schema at that moment the introspection fails (undefined schema / column). Only tests share a
// database this way, so they retry.
const RACING_SCHEMA_ERRORS = new Set(['3F000', '42703', '42P01']);

async function migrateWithRetry(handle: DatabaseHandle, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(handle.db);
      return;
    } catch (error) {
      const code = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RACING_SCHEMA_ERRORS.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export const engines: Engine[] = ['sqlite', 'postgres'];

export function engineAvailable(engine: Engine): boolean {
  return engine === 'sqlite' || Boolean(postgresUrl);
}

/**
 * Runs a suite once per engine, each test on a fresh migrated database.
 * PostgreSQL runs when TEST_DATABASE_URL is set; without it the suite is skipped locally
 * (and the run fails under CI=true, see above).
 */
export function describeEachDatabase(name: string, suite: (ctx: { handle: () => DatabaseHandle; engine: Engine }) => void) {
  for (const engine of engines) {
    describe.skipIf(!engineAvailable(engine))(`${name} [${engine}]`, () => {
      let current: (DatabaseHandle & { drop(): Promise<void> }) | undefined;
      beforeEach(async () => {
        current = await createTestDatabase(engine);
      });
      afterEach(async () => {
        await current?.drop();
        current = undefined;
      });
      suite({
        engine,
        handle: () => {
          if (!current) throw new Error('database used outside a test');
          return current;
        },
      });
    });
  }
}

/** The application's tables on this engine (the search index's shadow tables aside), for tests that look at every table. */
export async function tableNames(db: Db, engine: Engine): Promise<string[]> {
  if (engine === 'sqlite') {
    const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
    return rows.rows.map((r) => r.name).filter((name) => !name.includes('_fts'));
  }
  const rows = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db);
  return rows.rows.map((r) => r.name);
}
