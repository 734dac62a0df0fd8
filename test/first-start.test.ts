import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import { createRuntime } from '../src/server.ts';
import { prepareInstallation } from '../src/start.ts';
import { describeEachDatabase } from './support/databases.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../bin/dispatch.js');

const tables = [
  'settings',
  'users',
  'auth_tokens',
  'publishing_issues',
  'publishing_articles',
  'publishing_events',
  'audit_log',
  'job_schedules',
] as const;

async function snapshot(db: Db) {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) result[table] = await db.selectFrom(table).selectAll().execute();
  return result;
}

describeEachDatabase('first start', ({ handle }) => {
  it('migrates, seeds the demo issue and prints a setup link once; a second start changes nothing', async () => {
    const database = handle();
    const config = loadConfig({ NODE_ENV: 'test' });
    const { ctx } = createRuntime(config, { database, logger: pino({ level: 'silent' }) });

    const firstOutput: string[] = [];
    await prepareInstallation(ctx, (line) => firstOutput.push(line));
    expect(firstOutput.join('\n')).toMatch(/http:\/\/localhost:3000\/setup\/[A-Za-z0-9_-]{43}/);
    const issue = await ctx.db.selectFrom('publishing_issues').selectAll().executeTakeFirstOrThrow();
    expect([issue.volume, issue.number, issue.month]).toEqual([17, 1, '2024-01-01']);
    const article = await ctx.db.selectFrom('publishing_articles').selectAll().executeTakeFirstOrThrow();
    expect(article.title).toContain('X Chat');
    const event = await ctx.db.selectFrom('publishing_events').selectAll().executeTakeFirstOrThrow();
    expect([event.starts_at, event.time_zone, event.hashtag]).toEqual([
      '2024-01-22T16:00:00.000Z',
      'America/New_York',
      '#REMSChatWithAnExpert',
    ]);

    const before = await snapshot(ctx.db);
    const secondOutput: string[] = [];
    await prepareInstallation(ctx, (line) => secondOutput.push(line));
    expect(await snapshot(ctx.db)).toEqual(before);
    expect(secondOutput.join('\n')).not.toMatch(/\/setup\//);
    expect(secondOutput.join('\n')).toContain('user add');
  });
});

describe('the dispatch CLI', () => {
  it('seeds once, adds a user with a setup link, and writes a backup that passes integrity_check', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-cli-'));
    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
    delete (env as Record<string, string | undefined>).DATABASE_URL;

    const seeded = await run('node', [cli, 'seed'], { env });
    expect(seeded.stdout).toContain('1 issue(s), 1 article(s), 1 event(s)');
    const again = await run('node', [cli, 'seed'], { env });
    expect(again.stdout).toContain('already present, 0 issue(s), 0 article(s), 0 event(s)');

    const added = await run('node', [cli, 'user', 'add', 'editor@example.gov', '--role', 'editor'], { env });
    expect(added.stdout).toMatch(/\/setup\/[A-Za-z0-9_-]{43}/);
    await expect(run('node', [cli, 'user', 'add', 'x@example.gov', '--role', 'king'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining('Allowed choices are admin, editor, publisher'),
    });

    const target = path.join(dataDir, 'backups', 'copy.sqlite');
    const backup = await run('node', [cli, 'backup', target], { env });
    expect(backup.stdout).toContain('integrity check: ok');
    const copy = new SQLite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('select email from users').all()).toEqual([{ email: 'editor@example.gov' }]);
    copy.close();
    await expect(run('node', [cli, 'backup', target], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining('already exists'),
    });

    for (const command of ['serve', 'worker', 'migrate', 'seed', 'backup']) {
      const help = await run('node', [cli, command, '--help'], { env });
      expect(help.stdout, command).toContain(`Usage: dispatch ${command}`);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses to start in production with a missing or default secret', async () => {
    const env = { ...process.env, NODE_ENV: 'production', PUBLIC_URL: 'https://dispatch.example.gov', DATA_DIR: os.tmpdir() };
    delete (env as Record<string, string | undefined>).DISPATCH_SECRET;
    await expect(run('node', [cli, 'migrate'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining('DISPATCH_SECRET: required in production'),
    });
    await expect(
      run('node', [cli, 'migrate'], { env: { ...env, DISPATCH_SECRET: 'dispatch-local-demo-secret-change-me-0000000000' } }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('demo default may not be used') });
  }, 30_000);
});
