import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { createCampaign } from '../src/delivery/campaigns/create-campaign.ts';
import { bulkTransportOptions, engineJobHandlers, readProgress, startCampaign } from '../src/delivery/engine/index.ts';
import { prepareMessages } from '../src/delivery/messages/prepare-messages.ts';
import { iso } from '../src/platform/clock.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { JobRunner } from '../src/platform/jobs/index.ts';
import { createRuntime, type Runtime } from '../src/server.ts';
import { seedInstallation } from '../src/start.ts';
import { cliActor } from '../src/subscriptions/staff-actor.ts';
import { benchConfig, type DeliveryBenchEnv } from './support/delivery-config.ts';
import type { FloorJob, FloorRun } from './support/delivery-floor.ts';
import type { WorkerRun } from './support/delivery-worker-process.ts';
import { machineNote, writeSection } from './support/report.ts';
import { seedSubscribers } from './support/seed-subscribers.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink-process.ts';

// `npm run bench -- delivery`: a bulletin for the demo issue to 100,000 seeded subscribers
// (1,000,000 with --full) through the whole engine, from Send to "finished", against an SMTP sink
// in a process of its own (Postfix's smtp-sink when installed); and, in the same run, the
// protocol floor: the same sink fed by a bare loop that sends a pre-built message of the same size
// through a nodemailer pool with the engine's pool settings, no database and no rendering (half of
// it just before the large send, half just after). The DeliveryWorker and the floor each run in a
// child process, so the peak RSS each reports is its own. A smaller send (10,000) runs first, to
// show whether the sender's memory grows with N. The run fails unless every send finished and the
// sink accepted exactly one message per recipient.
//
// Options: --full (1,000,000), --recipients N, --small N, --concurrency C (default: the
// configured DELIVERY_CONCURRENCY default), --postgres (the engine on PostgreSQL at
// TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, in a schema made for the run;
// its figures go to a section of their own), --smtp-server (the Node sink even when Postfix's is
// installed), --profile (the worker of the large send writes a V8 CPU profile into a temporary
// directory, named at the end), --node-flags "FLAGS" (extra Node options for the worker and the
// floor, e.g. V8 heap limits). The last line is the summary the issue asks for.

const TARGET_RATIO = 0.7;
const TARGET_PEAK_RSS_MB = 150;
const DEMO_ISSUE = 'issue:demo-issue-2024-01';
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? Number.NaN : Number(args[at + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const say = (line: string) => console.log(line);
const mb = (bytes: number) => bytes / (1024 * 1024);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface EngineRun {
  recipients: number;
  seedMs: number;
  /** Send pressed → ledger written (startCampaign and the delivery.start-campaign job). */
  ledgerMs: number;
  /** Send pressed → the worker settled the last row. */
  totalMs: number;
  worker: WorkerRun;
  sinkCount: number;
  messageBytes: number;
  sample: { raw: string; envelopeFrom: string };
}

/** A place for one engine run's data: a temporary SQLite directory, or a fresh PostgreSQL schema. */
async function makeDatabase(root: string, label: string, postgresUrl: string | undefined) {
  const dataDir = path.join(root, label);
  if (!postgresUrl) return { dataDir, databaseUrl: undefined, drop: () => fsp.rm(dataDir, { recursive: true, force: true }) };
  const schema = `bench_delivery_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Forks a bench/support script with tsx and an IPC channel; `exited` rejects on a non-zero exit. */
function forkScript(script: string, env: Record<string, string | undefined>, execArgv: string[] = []) {
  const child: ChildProcess = fork(fileURLToPath(new URL(`./support/${script}`, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited with ${signal ?? `code ${code}`}.`)),
    ),
  );
  // Whoever awaits a message also learns of a crash through `exited`.
  exited.catch(() => {});
  const next = <T>() =>
    Promise.race([
      new Promise<T>((resolve) => child.once('message', (message) => resolve(message as T))),
      exited.then(() => Promise.reject(new Error(`${script} exited early.`))),
    ]);
  return { child, exited, next };
}

/** Runs the delivery.start-campaign job (and anything else the engine queued) until the queue is empty. */
async function runQueuedJobs(runtime: Runtime): Promise<void> {
  const { ctx } = runtime;
  const runner = new JobRunner({ db: ctx.db, dialect: ctx.dialect, clock: ctx.clock, log: ctx.log, handlers: engineJobHandlers(ctx) });
  while ((await runner.runOnce()) > 0);
}

async function engineRun(options: {
  recipients: number;
  env: DeliveryBenchEnv;
  sink: SmtpSink;
  profileDir: string | undefined;
  nodeFlags: string[];
}): Promise<EngineRun> {
  const { recipients, env, sink } = options;
  const config = benchConfig(env);
  const runtime = createRuntime(config, { logger: pino({ level: 'silent' }) });
  const { ctx } = runtime;
  try {
    await migrateToLatest(ctx.db);
    await seedInstallation(ctx);
    let started = performance.now();
    await seedSubscribers(ctx.db, ctx.dialect, { eligible: recipients, at: iso(ctx.clock.now()) });
    // Fold the seed's write-ahead log into the file, so the send starts on a plain database.
    runtime.database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    const seedMs = performance.now() - started;
    const campaignId = await createCampaign(ctx, { kind: 'bulletin', source: DEMO_ISSUE, actor: cliActor });

    const worker = forkScript('delivery-worker-process.ts', { ...env, BENCH_CAMPAIGN_ID: String(campaignId) }, [
      ...options.nodeFlags,
      ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : []),
    ]);
    await worker.next<{ ready: true }>();

    const before = sink.accepted();
    const sendPressed = Date.now();
    started = performance.now();
    await startCampaign(ctx, { campaignId, actor: cliActor });
    await runQueuedJobs(runtime);
    const ledgerMs = performance.now() - started;
    const done = worker.next<WorkerRun>();
    worker.child.send('go');
    // The sink's counter every 30 s, to show whether the rate holds over a long send.
    let seen = sink.accepted();
    const ticker = setInterval(() => {
      const now = sink.accepted();
      say(`    ${thousands(now - before)} accepted, ${thousands((now - seen) / 30)} msg/s over the last 30 s`);
      seen = now;
    }, 30_000);
    const run = await done.finally(() => clearInterval(ticker));
    await worker.exited;
    const sinkCount = (await sink.settle(before + recipients)) - before;

    const progress = await readProgress(ctx, campaignId);
    const problems: string[] = [];
    if (!progress.finished || progress.status !== 'finished')
      problems.push(`the campaign is ${progress.status}, finished=${progress.finished}`);
    if (progress.recipients !== recipients) problems.push(`the ledger has ${progress.recipients} rows, not ${recipients}`);
    if (progress.sent !== recipients) problems.push(`${progress.sent} rows sent, not ${recipients}`);
    if (sinkCount !== recipients) problems.push(`the sink accepted ${sinkCount} messages, not ${recipients}`);
    if (problems.length > 0) throw new Error(`The ${thousands(recipients)}-recipient send is wrong: ${problems.join('; ')}.`);

    // One real message, for the floor: the first recipient's, as the engine rendered it.
    const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    const first = await ctx.db
      .selectFrom('delivery_recipients')
      .select(['subscriber_id', 'topic_id'])
      .where('campaign_id', '=', campaignId)
      .orderBy('subscriber_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const subscriber = await ctx.db
      .selectFrom('subscribers')
      .select('email')
      .where('id', '=', first.subscriber_id)
      .executeTakeFirstOrThrow();
    const prepared = await prepareMessages(ctx, campaign);
    const sample = prepared.render({ subscriberId: first.subscriber_id, email: subscriber.email, topicId: first.topic_id });
    return {
      recipients,
      seedMs,
      ledgerMs,
      totalMs: run.finishedAt - sendPressed,
      worker: run,
      sinkCount,
      messageBytes: Buffer.byteLength(sample.raw),
      sample: { raw: sample.raw, envelopeFrom: sample.envelopeFrom },
    };
  } finally {
    await runtime.close();
  }
}

async function floorRun(job: FloorJob, sink: SmtpSink, nodeFlags: string[]): Promise<FloorRun & { sinkCount: number }> {
  const floor = forkScript('delivery-floor.ts', {}, nodeFlags);
  const before = sink.accepted();
  const done = floor.next<FloorRun>();
  floor.child.send(job);
  const run = await done;
  await floor.exited;
  const sinkCount = (await sink.settle(before + job.messages)) - before;
  if (run.sent !== job.messages || sinkCount !== job.messages)
    throw new Error(`The floor sent ${run.sent} and the sink accepted ${sinkCount} of ${job.messages} messages.`);
  return { ...run, sinkCount };
}

export async function main(args: string[]): Promise<void> {
  const full = args.includes('--full');
  const large = option(args, 'recipients', full ? 1_000_000 : 100_000);
  const small = Math.min(option(args, 'small', 10_000), large);
  const postgresUrl = args.includes('--postgres') ? (process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL) : undefined;
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'dispatch-bench-delivery-'));
  const secret = randomBytes(32).toString('hex');
  const defaults = benchConfig({ BENCH_DATA_DIR: root, BENCH_SECRET: secret });
  const concurrency = option(args, 'concurrency', defaults.delivery.concurrency);
  const profileDir = args.includes('--profile') ? await fsp.mkdtemp(path.join(os.tmpdir(), 'dispatch-delivery-profile-')) : undefined;
  const flagsAt = args.indexOf('--node-flags');
  const nodeFlags = flagsAt === -1 ? [] : (args[flagsAt + 1] ?? '').split(/\s+/).filter(Boolean);
  const sink = await startSmtpSink({ prefer: args.includes('--smtp-server') ? 'smtp-server' : 'postfix' });
  const database = postgresUrl ? 'PostgreSQL' : 'SQLite';
  say(`delivery benchmark: sink ${sink.program} on 127.0.0.1:${sink.port}; engine on ${database}; concurrency ${concurrency}`);
  try {
    const env = (dataDir: string, databaseUrl: string | undefined): DeliveryBenchEnv => ({
      BENCH_DATA_DIR: dataDir,
      BENCH_SECRET: secret,
      BENCH_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      BENCH_CONCURRENCY: String(concurrency),
      BENCH_DATABASE_URL: databaseUrl,
    });
    const runs: EngineRun[] = [];
    const engine = async (recipients: number, profile: boolean) => {
      const place = await makeDatabase(root, `data-${recipients}`, postgresUrl);
      try {
        say(`  engine: seeding ${thousands(recipients)} eligible subscribers, then Send → finished`);
        const run = await engineRun({
          recipients,
          env: env(place.dataDir, place.databaseUrl),
          sink,
          profileDir: profile ? profileDir : undefined,
          nodeFlags,
        });
        say(
          `  engine, ${thousands(recipients)} recipients: seeded in ${seconds(run.seedMs)}; ledger ${seconds(run.ledgerMs)}, Send → finished ${seconds(run.totalMs)}, ` +
            `${thousands(recipients / (run.totalMs / 1000))} msg/s; sink accepted ${thousands(run.sinkCount)}; sender peak RSS ${mb(run.worker.peakRss).toFixed(0)} MB ` +
            `(${mb(run.worker.readyRss).toFixed(0)} MB before sending; V8 heap up to ${mb(run.worker.peakHeapTotal).toFixed(0)} MB, ` +
            `${mb(run.worker.peakHeapUsed).toFixed(0)} MB of it used; outside the heap up to ${mb(run.worker.peakExternal).toFixed(0)} MB)`,
        );
        runs.push(run);
        return run;
      } finally {
        await place.drop();
      }
    };

    const first = await engine(small, false);
    const transport = bulkTransportOptions(benchConfig(env(root, undefined)));
    if (!transport) throw new Error('The engine opened no SMTP pool for BULK_SMTP_URL.');
    // The floor runs in two halves, one just before and one just after the large send, so a machine
    // whose load changes during the run (it is shared) weighs on both sides of the ratio alike.
    const halves = [Math.ceil(large / 2), Math.floor(large / 2)];
    const floorHalf = async (messages: number, when: string) => {
      say(
        `  floor, ${when}: ${thousands(messages)} pre-built ${thousands(first.messageBytes)}-byte messages through the engine's pool settings`,
      );
      const half = await floorRun(
        { transport, raw: first.sample.raw, envelopeFrom: first.sample.envelopeFrom, messages, inFlight: concurrency },
        sink,
        nodeFlags,
      );
      say(
        `  floor, ${when}: ${seconds(half.ms)}, ${thousands(messages / (half.ms / 1000))} msg/s; sink accepted ${thousands(half.sinkCount)}; peak RSS ${mb(half.peakRss).toFixed(0)} MB`,
      );
      return half;
    };
    const before = await floorHalf(halves[0] as number, 'before');
    const last = small === large ? first : await engine(large, true);
    const after = await floorHalf(halves[1] as number, 'after');
    const floor = {
      ms: before.ms + after.ms,
      sinkCount: before.sinkCount + after.sinkCount,
      peakRss: Math.max(before.peakRss, after.peakRss),
    };
    const floorRate = large / (floor.ms / 1000);

    const engineRate = large / (last.totalMs / 1000);
    const ratio = engineRate / floorRate;
    const peak = mb(last.worker.peakRss);
    const rows = [
      '| Run | Recipients | Message | Ledger written | Send → finished | msg/s | Sink accepted | Peak RSS | RSS before sending |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...runs.map(
        (r) =>
          `| engine (${database}) | ${thousands(r.recipients)} | ${thousands(r.messageBytes)} B | ${seconds(r.ledgerMs)} | ${seconds(r.totalMs)} | ` +
          `${thousands(r.recipients / (r.totalMs / 1000))} | ${thousands(r.sinkCount)} | ${mb(r.worker.peakRss).toFixed(0)} MB | ${mb(r.worker.readyRss).toFixed(0)} MB |`,
      ),
      `| floor (no database; half before, half after) | ${thousands(large)} | ${thousands(first.messageBytes)} B | – | ${seconds(floor.ms)} | ${thousands(floorRate)} | ${thousands(floor.sinkCount)} | ${mb(floor.peakRss).toFixed(0)} MB | – |`,
    ].join('\n');
    const growth = mb(last.worker.peakRss) - mb(first.worker.peakRss);
    const verdict = [
      `- Engine vs floor: **${ratio.toFixed(3)}** (${thousands(engineRate)} vs ${thousands(floorRate)} msg/s; target ≥ ${TARGET_RATIO.toFixed(2)}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}).`,
      `- Sender peak RSS: ${mb(first.worker.peakRss).toFixed(0)} MB at ${thousands(first.recipients)} and ${peak.toFixed(0)} MB at ${thousands(last.recipients)} recipients ` +
        `(${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB for ${(last.recipients / first.recipients).toFixed(0)} × the recipients; ` +
        `target flat and ≤ ${TARGET_PEAK_RSS_MB} MB at 1,000,000${last.recipients >= 1_000_000 ? `: ${peak <= TARGET_PEAK_RSS_MB ? 'met' : 'NOT met'}` : ''}).`,
    ];
    say('');
    say(rows);
    say('');
    for (const line of verdict) say(line);

    const command = `npm run bench -- delivery${args.length ? ` ${args.join(' ')}` : ''}`;
    await writeSection(
      postgresUrl ? 'delivery-postgres' : 'delivery',
      [
        `## Delivery${postgresUrl ? ' on PostgreSQL' : ''} (\`${command}\`)`,
        '',
        `Run on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineNote()}. Sink: ${sink.program}, in its own process on 127.0.0.1.`,
        '',
        `**Method.** Subscribers are seeded set-based (\`bench/support/seed-subscribers.ts\`): exactly N eligible members of the Dispatch topic on "every bulletin", ` +
          'plus 5 % who must not be mailed (unconfirmed, unsubscribed, paused, digest-only), some in other topics too. ' +
          `A bulletin for the demo issue is created (\`createCampaign\`) and sent: "Send" is \`startCampaign\` and the \`delivery.start-campaign\` job that writes the ledger (in the parent), ` +
          `then a \`DeliveryWorker\` in a child process of its own (only configuration, database, engine and renderer loaded) sends until no row is left; "Send → finished" runs from the Send to the worker's last row, ` +
          `and the run fails unless the campaign is finished, every row sent, and the sink accepted exactly N messages. ` +
          `${database} in a temporary ${postgresUrl ? 'schema' : 'directory (production settings: WAL, synchronous FULL)'}; DELIVERY_RATE_PER_SECOND 100000 so the token bucket never sets the pace; concurrency ${concurrency}. ` +
          `The floor is a bare loop in another child process that hands one real rendered message (taken from the engine's renderer) to a nodemailer pool built by the engine's own ` +
          `\`bulkTransportOptions\`, ${concurrency} messages in flight, no database and no rendering; it sends N messages, half just before the large send and half just after, so a change in the machine's load weighs on both sides of the ratio. Peak RSS is \`process.resourceUsage().maxRSS\` of each child.`,
        '',
        rows,
        '',
        ...verdict,
      ].join('\n'),
    );
    if (profileDir) say(`CPU profile of the ${thousands(last.recipients)}-recipient worker: ${profileDir}`);
    say('');
    say(
      `delivery: engine ${Math.round(engineRate)} msg/s, floor ${Math.round(floorRate)} msg/s, ratio ${ratio.toFixed(2)}, peak RSS ${peak.toFixed(0)} MB`,
    );
  } finally {
    await sink.stop();
    await fsp.rm(root, { recursive: true, force: true });
  }
}
