import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type Engine, engineAvailable, engines } from '../../test/support/databases.ts';
import { startSmtpServer } from '../../test/support/smtp-server.ts';
import { loadConfig } from '../config.ts';
import { type Db, openDatabase, sqliteFileIn } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createRuntime } from '../server.ts';
import { seedInstallation } from '../start.ts';
import { getCampaign } from './campaigns/campaign-queries.ts';
import { createCampaign } from './campaigns/create-campaign.ts';
import { describeProgress } from './campaigns/progress-text.ts';
import { addSubscriber, demoIds, topicIdsBySlug } from './campaigns/test-support.ts';
import { progressBar } from './cli.ts';
import { startCampaign } from './engine/start-campaign.ts';
import { writeCampaignLedger } from './engine/write-ledger.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../bin/dispatch.js');
const postgresUrl = process.env.TEST_DATABASE_URL;
const publisher = { userId: null, email: 'test' };

/** A fresh installation for the CLI, with its bulk mail going to `smtpPort`. */
async function installation(engine: Engine, smtpPort: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-campaign-cli-'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    BULK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    DELIVERY_RATE_PER_SECOND: '1000',
  };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
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
  const database =
    engine === 'postgres'
      ? openDatabase({ databaseUrl: postgresUrl, pgSchema: schema, pgPoolSize: 2 })
      : openDatabase({ sqliteFile: sqliteFileIn(dataDir) });
  return {
    env,
    /** The installation's own context. */
    runtime: () =>
      createRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), { database, logger: pino({ level: 'silent' }) }),
    async drop() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (!schema) return;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

// Kysely's migrator lists the tables of every schema, and another test file dropping its schema at
// that moment makes the listing fail (see test/support/databases.ts); only tests share a database
// like this, so the set-up retries.
async function migrateRacingNeighbours(db: Db, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db);
      return;
    } catch (error) {
      if (attempt >= attempts || !/does not exist/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

const dispatch = (env: Record<string, string | undefined>, ...args: string[]) => run('node', [cli, ...args], { env });

/** The failure of a command expected to exit non-zero. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a non-zero exit');
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

for (const engine of engines) {
  describe.skipIf(!engineAvailable(engine))(`dispatch campaign [${engine}]`, () => {
    it('lists, sends in-process with a progress bar, shows status, pauses and resumes, and refuses what cannot be done', async () => {
      const sink = await startSmtpServer();
      const install = await installation(engine, sink.port);
      try {
        const { ctx } = install.runtime();
        await migrateRacingNeighbours(ctx.db);
        await seedInstallation(ctx);
        const ids = await demoIds(ctx.db);
        const topics = await topicIdsBySlug(ctx.db);
        const eligible: string[] = [];
        for (let i = 0; i < 25; i++) {
          const email = `reader${i}@example.gov`;
          await addSubscriber(ctx.db, { email, topics: [{ id: topics.dispatch! }] });
          eligible.push(email);
        }
        await addSubscriber(ctx.db, { email: 'digest@example.gov', topics: [{ id: topics.dispatch!, frequency: 'digest' }] });
        await addSubscriber(ctx.db, { email: 'left@example.gov', status: 'unsubscribed', topics: [{ id: topics.dispatch! }] });

        const empty = await dispatch(install.env, 'campaign', 'list');
        expect(empty.stdout).toContain('No campaigns yet.');

        const bulletin = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${ids.issue}`, actor: publisher });
        const listed = await dispatch(install.env, 'campaign', 'list');
        const lines = listed.stdout.trim().split('\n');
        expect(lines[0]).toMatch(/^ID\s+STATUS\s+KIND\s+SENT\s+WHEN \(UTC\)\s+SUBJECT$/);
        expect(lines[1]).toMatch(new RegExp(`^${bulletin}\\s+Draft\\s+Bulletin\\s+—\\s+.*Community Policing Dispatch: Volume 17, Issue 1`));

        const sent = await dispatch(install.env, 'campaign', 'send', String(bulletin));
        expect(sent.stdout).toContain(`Campaign ${bulletin} is sent: 25 sent, 0 failed, 0 skipped of 25.`);
        // Not a terminal: the progress comes as whole lines on stderr, the last one complete.
        expect(sent.stderr).not.toContain('\r');
        expect(sent.stderr.trim().split('\n').at(-1)).toMatch(/\[#{30}\] 100 % Sent: 25 of 25 sent/);
        expect(sink.received.flatMap((m) => m.rcpt).sort()).toEqual([...eligible].sort());
        expect((await getCampaign(ctx, bulletin)).started_by).toBe('cli');

        const status = await dispatch(install.env, 'campaign', 'status', String(bulletin));
        expect(status.stdout).toContain(`Campaign ${bulletin}: Community Policing Dispatch: Volume 17, Issue 1 (January 2024)`);
        expect(status.stdout).toContain('To: Community Policing Dispatch (every bulletin)');
        expect(status.stdout).toContain(`Campaign ${bulletin} is sent: 25 sent`);

        const again = await failure(dispatch(install.env, 'campaign', 'send', String(bulletin)));
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('A campaign is only ever sent once.');
        expect(sink.received).toHaveLength(25);
        const missing = await failure(dispatch(install.env, 'campaign', 'status', '4242'));
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain('There is no campaign 4242.');
        const malformed = await failure(dispatch(install.env, 'campaign', 'pause', 'abc'));
        expect(malformed.code).toBe(1);
        expect(malformed.stderr).toContain('"abc" is not a campaign id');
        const finishedPause = await failure(dispatch(install.env, 'campaign', 'pause', String(bulletin)));
        expect(finishedPause.code).toBe(1);
        expect(finishedPause.stderr).toContain('This campaign is sent, so it cannot be paused.');

        // A second campaign under way with no worker: pause and resume it from the command line.
        const second = await createCampaign(ctx, { kind: 'bulletin', source: `article:${ids.article}`, actor: publisher });
        await ctx.db
          .updateTable('delivery_campaigns')
          .set({ topic_ids: JSON.stringify([topics.dispatch]) })
          .where('id', '=', second)
          .execute();
        await startCampaign(ctx, { campaignId: second, actor: publisher });
        await writeCampaignLedger(ctx, { campaignId: second });
        expect((await getCampaign(ctx, second)).status).toBe('sending');
        const paused = await dispatch(install.env, 'campaign', 'pause', String(second));
        expect(paused.stdout).toContain(`Campaign ${second} paused.`);
        expect((await getCampaign(ctx, second)).status).toBe('paused');
        const pausedStatus = await dispatch(install.env, 'campaign', 'status', String(second));
        expect(pausedStatus.stdout).toContain(`Campaign ${second} is paused: 0 sent, 0 failed, 0 skipped, 25 not sent yet of 25.`);
        expect((await failure(dispatch(install.env, 'campaign', 'pause', String(second)))).stderr).toContain('cannot be paused');
        const resumed = await dispatch(install.env, 'campaign', 'resume', String(second));
        expect(resumed.stdout).toContain(`Campaign ${second} resumed.`);
        expect((await getCampaign(ctx, second)).status).toBe('sending');
        const audit = await ctx.db
          .selectFrom('audit_log')
          .select(['action', 'actor'])
          .where('action', 'in', ['campaign.paused', 'campaign.resumed'])
          .execute();
        expect(audit).toEqual([
          { action: 'campaign.paused', actor: 'cli' },
          { action: 'campaign.resumed', actor: 'cli' },
        ]);
        expect(sink.received).toHaveLength(25);
      } finally {
        await install.drop();
        await sink.close();
      }
    }, 300_000);
  });
}

describe('the campaign progress bar', () => {
  const at = (sent: number, status: 'sending' | 'finished' = 'sending') =>
    describeProgress({
      status,
      recipients: 200,
      pending: 200 - sent,
      sending: 0,
      sent,
      failed: 0,
      skipped: 0,
      ratePerSecond: 50,
      etaSeconds: (200 - sent) / 50,
      lastErrors: [],
      pausedReason: null,
      finished: status === 'finished',
    });

  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    const bar = progressBar({ write: (text) => written.push(text), isTTY: true });
    bar.update(at(50));
    bar.update(at(120));
    bar.update(at(200, 'finished'));
    bar.end();
    expect(written[0]).toBe(
      '\r[########----------------------]  25 % Sending: 50 of 200 sent, 50 messages a second, about 3 seconds left\u001b[K',
    );
    expect(written[2]).toBe('\r[##############################] 100 % Sent: 200 of 200 sent\u001b[K');
    expect(written.at(-1)).toBe('\n');
  });

  it('prints a line at each tenth of the way anywhere else', () => {
    const written: string[] = [];
    const bar = progressBar({ write: (text) => written.push(text), isTTY: false });
    for (let sent = 0; sent < 200; sent += 5) bar.update(at(sent));
    bar.update(at(200, 'finished'));
    bar.end();
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(written.map((line) => line.match(/(\d+) %/)?.[1])).toEqual(['0', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100']);
  });
});
