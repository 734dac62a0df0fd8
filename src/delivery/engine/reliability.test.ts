import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { AppContext } from '../../platform/context.ts';
import { type DatabaseHandle, openDatabase } from '../../platform/db/database.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import { AppError } from '../../platform/errors.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';
import { DeliveryWorker, NOT_ELIGIBLE_REASON } from './delivery-worker.ts';
import { pauseCampaign } from './pause-campaign.ts';
import { resumeCampaign } from './resume-campaign.ts';
import { startCampaign } from './start-campaign.ts';
import {
  addressesOf,
  campaignStatus,
  expectedMessageIds,
  insertCampaign,
  ledgerCounts,
  publisher,
  type Sink,
  type SinkDelivery,
  type SinkOptions,
  seedSubscribers,
  startedCampaign,
  startSink,
  topicIds,
} from './test-support.ts';
import { writeCampaignLedger } from './write-ledger.ts';

// The reliability tests 1–5 (reliability.md, "Test plan"): the acceptance of the engine.
// Each runs on SQLite and PostgreSQL against a real SMTP peer in this process.

const WORKER_SCRIPT = fileURLToPath(new URL('../../../test/support/delivery-worker-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LEASE_MS = 1500;
// The child's default claim size; a kill may repeat at most what one worker had not yet recorded.
const BATCH_SIZE = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  running(): boolean;
  stderr(): string;
}

function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let running = true;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    });
  });
  return { child, ready, exited, running: () => running, stderr: () => stderr };
}

/** Deliveries grouped by address. */
function copiesByAddress(deliveries: SinkDelivery[]): Map<string, SinkDelivery[]> {
  const copies = new Map<string, SinkDelivery[]>();
  for (const delivery of deliveries) {
    const list = copies.get(delivery.to);
    if (list) list.push(delivery);
    else copies.set(delivery.to, [delivery]);
  }
  return copies;
}

describeEachDatabase('delivery reliability', ({ handle, engine }) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  /** A database a worker process can open too: a SQLite file, or this test's PostgreSQL schema. */
  async function sharedDatabase(): Promise<{ database: DatabaseHandle; workerEnv: Record<string, string> }> {
    if (engine === 'postgres') {
      const database = handle();
      const schema = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
      return {
        database,
        workerEnv: { WORKER_DATABASE_URL: process.env.TEST_DATABASE_URL ?? '', WORKER_PG_SCHEMA: schema.rows[0]?.schema ?? '' },
      };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-delivery-'));
    const file = path.join(dir, 'dispatch.sqlite');
    const database = openDatabase({ sqliteFile: file });
    await migrateToLatest(database.db);
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => database.close());
    return { database, workerEnv: { WORKER_SQLITE_FILE: file } };
  }

  async function appOn(database: DatabaseHandle, sink: Sink) {
    const running: TestApp = await createTestApp(database, {
      env: {
        PUBLIC_URL: 'https://dispatch.example.gov',
        BULK_SMTP_URL: sink.url,
        DELIVERY_RATE_PER_SECOND: '100000',
        DELIVERY_CONCURRENCY: '4',
      },
    });
    cleanups.push(() => running.app.close());
    return running;
  }

  async function sinkWith(options: SinkOptions = {}) {
    const sink = await startSink(options);
    cleanups.push(sink.close);
    return sink;
  }

  function inProcessWorker(ctx: AppContext) {
    const worker = new DeliveryWorker({ ctx, retryBaseMs: 5, pollMs: 20, errorLimit: 100_000 });
    cleanups.push(() => worker.stop());
    return worker;
  }

  /** The sink received exactly one message for each of `ids`, with its delivery's Message-ID, and nothing else. */
  async function expectExactlyOnce(ctx: AppContext, sink: Sink, campaignId: number, ids: string[]) {
    const addresses = await addressesOf(ctx.db, ids);
    const messageIds = await expectedMessageIds(ctx, campaignId);
    const expected = new Map(ids.map((id) => [addresses.get(id) as string, messageIds.get(addresses.get(id) as string)]));
    const copies = copiesByAddress(sink.deliveries);
    const twice = [...copies].filter(([, list]) => list.length > 1).map(([address]) => address);
    expect(twice).toEqual([]);
    expect(new Set(copies.keys())).toEqual(new Set(expected.keys()));
    for (const delivery of sink.deliveries) expect(delivery.messageId).toBe(expected.get(delivery.to));
  }

  it('1. kill -9 of the worker at random points of a 20,000-recipient send: everyone delivered, duplicates only from the batch in flight, never finished early', async () => {
    const sink = await sinkWith();
    const { database, workerEnv } = await sharedDatabase();
    const { ctx } = await appOn(database, sink);
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 20_000, topics: [topic] });
    await seedSubscribers(ctx.db, { count: 20, topics: [topic], status: 'unsubscribed', prefix: 'left' });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    expect((await campaignStatus(ctx.db, campaignId)).recipients).toBe(20_000);

    // Watch the whole time: "finished" must never be seen while a row is pending or sending.
    let watching = true;
    const finishedEarly: number[] = [];
    const watcher = (async () => {
      while (watching) {
        const { status } = await campaignStatus(ctx.db, campaignId);
        if (status === 'finished') {
          const counts = await ledgerCounts(ctx.db, campaignId);
          const open = (counts.pending ?? 0) + (counts.sending ?? 0);
          if (open > 0) finishedEarly.push(open);
        }
        await sleep(20);
      }
    })();

    const env = { ...workerEnv, WORKER_SMTP_URL: sink.url, WORKER_CAMPAIGN_ID: String(campaignId), WORKER_LEASE_MS: String(LEASE_MS) };
    const kills: number[] = [];
    for (let run = 0; run < 5; run++) {
      const worker = spawnWorker({ ...env, WORKER_OWNER: `worker-${run}` });
      cleanups.push(() => void worker.child.kill('SIGKILL'));
      const before = sink.deliveries.length;
      // Kill only once this worker is sending, at a random moment of its send.
      await waitFor('the worker to send', () => sink.deliveries.length >= before + 100 || !worker.running(), 30_000);
      await sleep(Math.random() * 500);
      expect(worker.running(), worker.stderr()).toBe(true);
      worker.child.kill('SIGKILL');
      kills.push(Date.now());
      await worker.exited;
    }
    const last = spawnWorker({ ...env, WORKER_OWNER: 'worker-last' });
    cleanups.push(() => void last.child.kill('SIGKILL'));
    expect(await last.exited, last.stderr()).toBe(0);
    watching = false;
    await watcher;

    expect(finishedEarly).toEqual([]);
    expect(await campaignStatus(ctx.db, campaignId)).toMatchObject({ status: 'finished' });
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 20_000 });
    // Every eligible recipient got the campaign, nobody else did.
    const messageIds = await expectedMessageIds(ctx, campaignId);
    expect(new Set(messageIds.keys())).toEqual(new Set((await addressesOf(ctx.db, ids)).values()));
    const copies = copiesByAddress(sink.deliveries);
    expect(copies.size).toBe(20_000);
    expect([...copies.keys()].every((address) => messageIds.has(address))).toBe(true);
    // A duplicate carries the same Message-ID and straddles a kill; per kill, fewer than one batch.
    const perKill = new Map<number, number>();
    for (const [address, list] of copies) {
      for (const copy of list) expect(copy.messageId).toBe(messageIds.get(address));
      for (let i = 1; i < list.length; i++) {
        const kill = kills.find((at) => (list[i - 1] as SinkDelivery).at <= at && at <= (list[i] as SinkDelivery).at);
        expect(kill, `${address} was sent twice without a kill in between`).toBeDefined();
        perKill.set(kill as number, (perKill.get(kill as number) ?? 0) + 1);
      }
    }
    for (const duplicates of perKill.values()) expect(duplicates).toBeLessThan(BATCH_SIZE);
    expect(kills).toHaveLength(5);
  }, 120_000);

  it('2. a relay that drops connections and answers 421 at random: everyone delivered, nobody twice', async () => {
    let recipients = 0;
    const sink = await sinkWith({
      atRecipient() {
        recipients++;
        const dice = Math.random();
        if (dice < 0.03) return 'drop';
        if (dice < 0.06) return { code: 421, message: '4.3.2 Service shutting down, try again' };
        if (dice < 0.08) return { code: 451, message: '4.7.1 Greylisted, try again later' };
        return undefined;
      },
      // The connection is also cut after the data arrived but before the 250: not accepted, so a resend is no duplicate.
      beforeAccepting: () => (Math.random() < 0.02 ? 'drop' : undefined),
    });
    const { ctx } = await appOn(handle(), sink);
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 1500, topics: [topic] });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    await inProcessWorker(ctx).runUntilIdle(campaignId);
    expect(recipients).toBeGreaterThan(1500);
    await expectExactlyOnce(ctx, sink, campaignId, ids);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 1500 });
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
  }, 120_000);

  it('3. two workers on one database: nobody twice, and both take part', async () => {
    const sink = await sinkWith();
    const { database, workerEnv } = await sharedDatabase();
    const { ctx } = await appOn(database, sink);
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 4000, topics: [topic] });
    const campaignId = await insertCampaign(ctx.db, { topics: [topic] });
    const env = { ...workerEnv, WORKER_SMTP_URL: sink.url, WORKER_CAMPAIGN_ID: String(campaignId), WORKER_LEASE_MS: '60000' };
    const workers = ['worker-a', 'worker-b'].map((owner) => spawnWorker({ ...env, WORKER_OWNER: owner }));
    for (const worker of workers) cleanups.push(() => void worker.child.kill('SIGKILL'));
    await Promise.all(workers.map((worker) => worker.ready));
    // Both are polling before the send starts, so both race for every batch.
    await startCampaign(ctx, { campaignId, actor: publisher });
    await writeCampaignLedger(ctx, { campaignId });
    for (const worker of workers) expect(await worker.exited, worker.stderr()).toBe(0);
    await expectExactlyOnce(ctx, sink, campaignId, ids);
    const owners = await ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => ['lease_owner', eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'sent')
      .groupBy('lease_owner')
      .orderBy('lease_owner')
      .execute();
    expect(owners.map((o) => o.lease_owner)).toEqual(['worker-a', 'worker-b']);
    expect(owners.reduce((sum, o) => sum + Number(o.n), 0)).toBe(4000);
    expect((await campaignStatus(ctx.db, campaignId)).status).toBe('finished');
  }, 120_000);

  it('4. rapid pause and resume during a send: the sink holds exactly the eligible set, once each', async () => {
    const sink = await sinkWith({ beforeAccepting: () => sleep(Math.random() < 0.05 ? 3 : 0).then(() => undefined) });
    const { ctx } = await appOn(handle(), sink);
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 3000, topics: [topic] });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const worker = inProcessWorker(ctx);
    worker.start();
    await waitFor('the send to begin', () => sink.deliveries.length > 0);
    let cycles = 0;
    for (; cycles < 50; cycles++) {
      try {
        await pauseCampaign(ctx, { campaignId, actor: publisher });
      } catch (error) {
        // The send outran the test: it finished between two cycles.
        if (error instanceof AppError && (await campaignStatus(ctx.db, campaignId)).status === 'finished') break;
        throw error;
      }
      await sleep(Math.random() * 25);
      await resumeCampaign(ctx, { campaignId, actor: publisher });
      await sleep(Math.random() * 25);
    }
    expect(cycles).toBeGreaterThanOrEqual(20);
    await waitFor('the campaign to finish', async () => (await campaignStatus(ctx.db, campaignId)).status === 'finished', 60_000);
    await worker.stop();
    await expectExactlyOnce(ctx, sink, campaignId, ids);
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 3000 });
    // Handing rows back on a pause does not use up their attempts.
    const worst = await ctx.db
      .selectFrom('delivery_recipients')
      .select((eb) => eb.fn.max('attempts').as('attempts'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(Number(worst.attempts)).toBe(1);
  }, 120_000);

  it('5. a one-click unsubscribe during the send: that recipient gets nothing afterwards', async () => {
    let accepted = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sink = await sinkWith({
      // After 500 messages the relay stalls until the unsubscribes are done: the send is mid-way.
      beforeAccepting: async () => {
        accepted++;
        if (accepted > 500) await gate;
        return undefined;
      },
    });
    const { ctx, app } = await appOn(handle(), sink);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const topic = (await topicIds(ctx.db)).dispatch as string;
    const ids = await seedSubscribers(ctx.db, { count: 3000, topics: [topic] });
    const campaignId = await startedCampaign(ctx, { topics: [topic] });
    const worker = inProcessWorker(ctx);
    worker.start();
    await waitFor('the relay to stall mid-send', () => accepted >= 504);

    // Twenty recipients whose turn has not come: their rows are not even claimed yet.
    const waiting = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'topic_id'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .limit(20)
      .execute();
    expect(waiting).toHaveLength(20);
    const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    const messages = await prepareMessages(ctx, campaign);
    const addresses = await addressesOf(
      ctx.db,
      waiting.map((row) => row.subscriber_id),
    );
    for (const row of waiting) {
      // The link their message's List-Unsubscribe header carries, posted as a mailbox provider does (RFC 8058).
      const message = messages.render({
        subscriberId: row.subscriber_id,
        email: addresses.get(row.subscriber_id) as string,
        topicId: row.topic_id,
      });
      expect(message.raw).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
      const unsubscribeUrl = /\r\nList-Unsubscribe: <(https:[^>]+)>\r\n/.exec(message.raw)?.[1] ?? '';
      const response = await fetch(`${origin}${new URL(unsubscribeUrl).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    }
    const unsubscribed = waiting.map((row) => row.subscriber_id);
    const statuses = await ctx.db.selectFrom('subscribers').select('status').where('id', 'in', unsubscribed).execute();
    expect(statuses.every((s) => s.status === 'unsubscribed')).toBe(true);
    release();
    await waitFor('the campaign to finish', async () => (await campaignStatus(ctx.db, campaignId)).status === 'finished', 60_000);
    await worker.stop();

    const gone = new Set(unsubscribed);
    await expectExactlyOnce(
      ctx,
      sink,
      campaignId,
      ids.filter((id) => !gone.has(id)),
    );
    const rows = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['status', 'last_error'])
      .where('campaign_id', '=', campaignId)
      .where('subscriber_id', 'in', unsubscribed)
      .execute();
    expect(rows).toEqual(unsubscribed.map(() => ({ status: 'skipped', last_error: NOT_ELIGIBLE_REASON })));
    expect(await ledgerCounts(ctx.db, campaignId)).toEqual({ sent: 2980, skipped: 20 });
  }, 120_000);
});
