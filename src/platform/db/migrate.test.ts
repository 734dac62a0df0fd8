import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';

describeEachDatabase('migrations', ({ handle }) => {
  it('leave nothing pending and are idempotent', async () => {
    const { db } = handle();
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('make the audit log append-only', async () => {
    const { db } = handle();
    await db
      .insertInto('audit_log')
      .values({ at: new Date().toISOString(), actor: 'test', action: 'test.created', details: '{}' })
      .execute();
    await expect(db.updateTable('audit_log').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const rows = await db.selectFrom('audit_log').select(['action']).execute();
    expect(rows).toEqual([{ action: 'test.created' }]);
  });

  it('return counts as numbers on both engines', async () => {
    const { db } = handle();
    const row = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(row.n).toBe(0);
  });
});
