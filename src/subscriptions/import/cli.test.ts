import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type Engine, engineAvailable, engines } from '../../../test/support/databases.ts';
import { openDatabase, sqliteFileIn } from '../../platform/db/database.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../bin/dispatch.js');
const postgresUrl = process.env.TEST_DATABASE_URL;

/** A fresh, empty installation for the CLI: a data directory, and on PostgreSQL a schema of its own. */
async function installation(engine: Engine) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-import-cli-'));
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  let schema: string | undefined;
  if (engine === 'postgres') {
    schema = `t_${randomBytes(8).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  const open = () =>
    engine === 'postgres'
      ? openDatabase({ databaseUrl: postgresUrl, pgSchema: schema, pgPoolSize: 1 })
      : openDatabase({ sqliteFile: sqliteFileIn(dataDir) });
  return {
    dataDir,
    env,
    file(name: string, content: string) {
      const file = path.join(dataDir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    async subscribers() {
      const database = open();
      try {
        return await database.db.selectFrom('subscribers').select(['email', 'status', 'consent_source']).orderBy('email').execute();
      } finally {
        await database.close();
      }
    },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (!schema) return;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

const dispatch = (env: Record<string, string | undefined>, ...args: string[]) => run('node', [cli, ...args], { env });

const WITH_REJECTIONS = [
  'email,topics,consent_date,source',
  'one@example.gov,events,2024-05-31,Spring fair',
  'two@example.gov,,,',
  ...Array.from({ length: 23 }, (_, i) => `broken-${i},,,`),
].join('\n');

for (const engine of engines) {
  describe.skipIf(!engineAvailable(engine))(`dispatch subscribers import and export [${engine}]`, () => {
    it('imports nothing and exits 1 when lines are rejected, unless told to import the valid rows; exports to stdout or a file', async () => {
      const install = await installation(engine);
      try {
        const file = install.file('people.csv', WITH_REJECTIONS);
        const refused = await dispatch(install.env, 'subscribers', 'import', file).then(
          () => {
            throw new Error('expected exit code 1');
          },
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
        expect(refused.code).toBe(1);
        const report = refused.stdout.split('\n');
        expect(report[0]).toBe('people.csv: 25 lines checked, 2 valid, 23 rejected.');
        expect(report[1]).toBe('Rejected lines:');
        expect(report[2]).toBe('  line 4: Enter an e-mail address like name@example.gov.');
        expect(report.filter((line) => line.startsWith('  line '))).toHaveLength(20);
        expect(refused.stdout).toContain('  … and 3 more');
        expect(refused.stdout).toContain('Nothing was imported, because some lines were rejected.');
        expect(refused.stdout).toContain(`dispatch subscribers import ${JSON.stringify(file)} --import-valid`);
        // Not a terminal: progress comes as plain lines on stderr.
        expect(refused.stderr).toMatch(/Checking people\.csv: 100% \(25 lines/);
        expect(refused.stderr).not.toContain('\r');
        expect(await install.subscribers()).toEqual([]);

        const imported = await dispatch(install.env, 'subscribers', 'import', file, '--import-valid', '--source', 'Old list');
        expect(imported.stdout).toContain(
          'Imported: 2 new subscribers (1 to be asked by e-mail to confirm), 0 existing subscribers given topics, 0 rows skipped (unsubscribed or suppressed).',
        );
        expect(await install.subscribers()).toEqual([
          { email: 'one@example.gov', status: 'active', consent_source: 'Spring fair' },
          { email: 'two@example.gov', status: 'pending', consent_source: 'Old list' },
        ]);

        const clean = install.file('clean.csv', 'email\nthree@example.gov\n');
        const direct = await dispatch(install.env, 'subscribers', 'import', clean);
        expect(direct.stdout).toContain('clean.csv: 1 line checked, 1 valid, 0 rejected.');
        expect(direct.stdout).toContain('Imported: 1 new subscriber (1 to be asked by e-mail to confirm)');

        const refusedFile = install.file('wrong.csv', 'name,list\nx,y\n');
        await expect(dispatch(install.env, 'subscribers', 'import', refusedFile)).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringContaining('The first line of the file must name its columns'),
        });
        await expect(dispatch(install.env, 'subscribers', 'import', path.join(install.dataDir, 'missing.csv'))).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringContaining('no such file'),
        });

        const exported = await dispatch(install.env, 'subscribers', 'export');
        const records = parse(exported.stdout, { bom: true, columns: true }) as Record<string, string>[];
        expect(records.map((r) => [r.email, r.status, r.topics, r.consent_source])).toEqual([
          ['one@example.gov', 'active', 'events', 'Spring fair'],
          ['three@example.gov', 'pending', 'dispatch', 'import'],
          ['two@example.gov', 'pending', 'dispatch', 'Old list'],
        ]);
        expect(exported.stderr).toContain('Exporting subscribers: 100% (3 rows');

        const out = path.join(install.dataDir, 'exports', 'all.csv');
        const written = await dispatch(install.env, 'subscribers', 'export', '--out', out);
        expect(written.stderr).toContain(`Wrote 3 subscribers to ${out}.`);
        expect(fs.readFileSync(out, 'utf8')).toBe(exported.stdout);
        await expect(dispatch(install.env, 'subscribers', 'export', '--out', out)).rejects.toMatchObject({
          stderr: expect.stringContaining('already exists'),
        });

        // An export goes back in: nothing is new, the pending ones stay pending.
        const again = await dispatch(install.env, 'subscribers', 'import', out);
        expect(again.stdout).toContain('Imported: 0 new subscribers, 3 existing subscribers given topics, 0 rows skipped');
      } finally {
        await install.drop();
      }
    }, 120_000);
  });
}
