import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { completeSetup } from '../src/accounts/complete-setup.ts';
import { issueSetupLink } from '../src/accounts/issue-setup-link.ts';
import { loadConfig } from '../src/config.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { createRuntime } from '../src/server.ts';
import { type BenchServer, startBenchServer } from './support/bench-server.ts';
import type { Measurement } from './support/measure.ts';
import { machineNote, table, writeSection } from './support/report.ts';
import type { ImportRun } from './support/subscriptions-import.ts';

// `npm run bench -- subscriptions`: CSV imports of 100,000, 300,000 and 1,000,000 subscribers
// (check + "import the valid rows"), each in a child process of its own on a fresh SQLite file, so
// the peak RSS measured is that import's; then the admin counts page /admin/subscribers on the
// 1,000,000-subscriber database, loaded with autocannon beside a bare route (/healthz) on the same
// server as the floor. Options: --quick (10,000 / 30,000 / 100,000 rows), --seconds S, --warmup S,
// --connections N, --postgres (also import the largest file into a fresh schema of the PostgreSQL
// database at TEST_DATABASE_URL; reported beside the SQLite figures, not in the last line).
// The last line is the summary the issue asks for.

const TARGET_COUNTS_P95_MS = 200;
const COUNTS_PAGE = '/admin/subscribers';
const FLOOR = '/healthz';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? Number.NaN : Number(args[at + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const say = (line: string) => console.log(line);
const mb = (bytes: number) => bytes / (1024 * 1024);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** A small deterministic generator, so every run imports the same file. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['pat', 'sam', 'alex', 'jordan', 'maria', 'li', 'omar', 'grace', 'chris', 'dana', 'lee', 'ana'];
const LAST = ['garcia', 'smith', 'nguyen', 'johnson', 'okafor', 'brown', 'kim', 'lopez', 'davis', 'chen'];
const DOMAINS = ['example.gov', 'pd.example.us', 'county.example.org', 'mail.example.com', 'schools.example.edu', 'sheriff.example.gov'];
const TOPICS = ['dispatch', 'events', 'school-safety', 'grants'];
const SOURCES = ['Spring conference', 'Website (old system)', 'Partner list', '', '"Webinar sign-up, 2024"', 'COPS booth'];
/** One line in this many is bad, in turn: a bad address, an unknown topic, a future date, a repeat, a wrong field count. */
const BAD_EVERY = 2_000;

/**
 * Writes a realistic import file: mixed topics (a third name none, so they get the Dispatch), 70 %
 * with a consent date (some with a time), a few sources, and a bad line every BAD_EVERY lines.
 */
async function writeCsv(file: string, rows: number): Promise<number> {
  const next = random(rows);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  await write('email,topics,consent_date,source\n');
  let chunk: string[] = [];
  for (let i = 1; i <= rows; i++) {
    const email = `${pick(FIRST)}.${pick(LAST)}${i}@${pick(DOMAINS)}`;
    const topics = next() < 0.33 ? '' : TOPICS.filter(() => next() < 0.45).join(';');
    let consent = '';
    if (next() < 0.7) {
      const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(next() * 2555) * 86_400_000).toISOString();
      consent = next() < 0.5 ? day.slice(0, 10) : `${day.slice(0, 11)}${String(8 + Math.floor(next() * 10)).padStart(2, '0')}:15:00Z`;
    }
    let line = `${email},${topics},${consent},${pick(SOURCES)}`;
    if (i % BAD_EVERY === 0) {
      line = [
        `not-an-address-${i},events,,`,
        `${email},budget,,`,
        `${email},,2099-01-01,`,
        `${pick(FIRST)}.${pick(LAST)}${i - 1}@X.example.gov,,,`.toUpperCase(),
        `${email},events,2024-01-01,Fair,extra`,
      ][(i / BAD_EVERY) % 5] as string;
    }
    chunk.push(line);
    if (chunk.length === 10_000) {
      await write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length) await write(`${chunk.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return (await fsp.stat(file)).size;
}

/** Runs one import in a child process and returns what it measured. */
async function importInChild(env: Record<string, string>): Promise<ImportRun> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./support/subscriptions-import.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ImportRun>((resolve, reject) => {
    let run: ImportRun | undefined;
    child.once('message', (message) => {
      run = message as ImportRun;
    });
    child.once('exit', (code) => (run && code === 0 ? resolve(run) : reject(new Error(`The import process exited with code ${code}.`))));
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** autocannon against one path with the staff session cookie; every latency kept, so p95 is exact. */
function loadPath(origin: string, label: string, urlPath: string, cookie: string, options: { seconds: number; connections: number }) {
  const fire = async (seconds: number) => {
    const latencies: number[] = [];
    let failures = 0;
    const instance = autocannon({
      url: origin,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
      headers: { cookie },
      requests: [{ method: 'GET', path: urlPath }],
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status !== 200) failures++;
    });
    const result = await instance;
    return { result, latencies, failures: failures + result.errors + result.timeouts };
  };
  return { label, fire, urlPath };
}

async function measureTarget(target: ReturnType<typeof loadPath>, options: { warmup: number; seconds: number }): Promise<Measurement> {
  await target.fire(options.warmup);
  const { result, latencies, failures } = await target.fire(options.seconds);
  latencies.sort((a, b) => a - b);
  return {
    label: target.label,
    path: target.urlPath,
    requestsPerSecond: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failures,
  };
}

/** A publisher with a settled second factor and a live session on the benchmark database. */
async function staffSession(dataDir: string, secret: string): Promise<string> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DISPATCH_SECRET: secret,
    PUBLIC_URL: 'https://dispatch.example.gov',
    LOG_LEVEL: 'silent',
  });
  const runtime = createRuntime(config, { logger: pino({ level: 'silent' }) });
  try {
    const { ctx } = runtime;
    const link = await issueSetupLink(ctx, { email: 'bench.publisher@example.gov', role: 'publisher', actor: 'bench' });
    const token = link.url.split('/setup/')[1] as string;
    const { userId } = await completeSetup(ctx, { token, displayName: 'Bench publisher', password: 'correct horse battery staple 42' });
    const session = await createSession(ctx.db, ctx.clock, { userId, awaitingSecondFactor: false, secondFactorVerified: true });
    // Served over https in production config: the cookie has the __Host- prefix.
    return `__Host-dispatch_session=${session}`;
  } finally {
    await runtime.close();
  }
}

/** The largest import again, on PostgreSQL, in a schema made for it and dropped afterwards. */
async function importOnPostgres(databaseUrl: string, env: Record<string, string>): Promise<ImportRun> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return await importInChild({ ...env, BENCH_DATABASE_URL: url.toString() });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

interface SizeResult {
  rows: number;
  fileBytes: number;
  run: ImportRun;
  rowsPerSecond: number;
}

export async function main(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const sizes = quick ? [10_000, 30_000, 100_000] : [100_000, 300_000, 1_000_000];
  const load = {
    seconds: option(args, 'seconds', quick ? 3 : 6),
    warmup: option(args, 'warmup', quick ? 1 : 2),
    connections: option(args, 'connections', 10),
  };
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'dispatch-bench-subscriptions-'));
  const secret = randomBytes(32).toString('hex');
  let server: BenchServer | undefined;
  try {
    const postgresUrl = args.includes('--postgres') ? process.env.TEST_DATABASE_URL : undefined;
    if (args.includes('--postgres') && !postgresUrl)
      throw new Error('--postgres needs TEST_DATABASE_URL (a database the benchmark may add a schema to).');
    let onPostgres: SizeResult | undefined;
    const results: SizeResult[] = [];
    let lastDataDir = '';
    for (const rows of sizes) {
      const file = path.join(root, `subscribers-${rows}.csv`);
      const dataDir = path.join(root, `data-${rows}`);
      say(`subscriptions benchmark: writing ${thousands(rows)} rows to ${file}`);
      const fileBytes = await writeCsv(file, rows);
      say(`  importing (${(fileBytes / 1e6).toFixed(1)} MB) in a child process on a fresh SQLite file`);
      const run = await importInChild({ BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret, BENCH_CSV: file });
      const rowsPerSecond = run.lines / ((run.checkMs + run.commitMs) / 1000);
      results.push({ rows, fileBytes, run, rowsPerSecond });
      say(
        `  ${thousands(run.lines)} lines: ${thousands(run.valid)} valid, ${thousands(run.rejected)} rejected; check ${(run.checkMs / 1000).toFixed(1)} s, ` +
          `import ${(run.commitMs / 1000).toFixed(1)} s, ${thousands(rowsPerSecond)} rows/s; peak RSS ${mb(run.peakRss).toFixed(0)} MB`,
      );
      if (postgresUrl && rows === sizes.at(-1)) {
        say('  the same file on PostgreSQL, in a child process, on a fresh schema');
        const pgRun = await importOnPostgres(postgresUrl, {
          BENCH_DATA_DIR: path.join(root, 'data-postgres'),
          BENCH_SECRET: secret,
          BENCH_CSV: file,
        });
        onPostgres = { rows, fileBytes, run: pgRun, rowsPerSecond: pgRun.lines / ((pgRun.checkMs + pgRun.commitMs) / 1000) };
        say(
          `  PostgreSQL: check ${(pgRun.checkMs / 1000).toFixed(1)} s, import ${(pgRun.commitMs / 1000).toFixed(1)} s, ` +
            `${thousands(onPostgres.rowsPerSecond)} rows/s; peak RSS ${mb(pgRun.peakRss).toFixed(0)} MB`,
        );
      }
      await fsp.rm(file, { force: true });
      if (lastDataDir) await fsp.rm(lastDataDir, { recursive: true, force: true });
      lastDataDir = dataDir;
    }
    const largest = results.at(-1)!;

    say(`  counts page: starting the app on the ${thousands(largest.run.imported)}-subscriber database`);
    const cookie = await staffSession(lastDataDir, secret);
    server = await startBenchServer({ BENCH_DATA_DIR: lastDataDir, BENCH_SECRET: secret });
    const { origin } = server;
    const probe = await fetch(origin + COUNTS_PAGE, { headers: { cookie } });
    const probeBody = await probe.text();
    if (probe.status !== 200) throw new Error(`${COUNTS_PAGE} answered ${probe.status} for a signed-in publisher`);
    say(`  ${COUNTS_PAGE} is ${Buffer.byteLength(probeBody)} bytes`);
    const measurements: Measurement[] = [];
    for (const [label, urlPath] of [
      ['admin counts page', COUNTS_PAGE],
      ['floor: bare route', FLOOR],
    ] as const) {
      say(`  measuring ${label} (${load.warmup} s warm-up, ${load.seconds} s, ${load.connections} connections)`);
      measurements.push(await measureTarget(loadPath(origin, label, urlPath, cookie, load), load));
    }
    await server.stop();
    server = undefined;
    const [counts, floor] = measurements as [Measurement, Measurement];

    const importTable = [
      '| Database | Rows in file | File | Valid | Rejected | Check | Import | Rows/s (both steps) | Peak RSS | RSS before reading |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[...results, ...(onPostgres ? [onPostgres] : [])].map(
        (r) =>
          `| ${r === onPostgres ? 'PostgreSQL' : 'SQLite'} | ${thousands(r.run.lines)} | ${(r.fileBytes / 1e6).toFixed(1)} MB | ${thousands(r.run.valid)} | ${thousands(r.run.rejected)} | ` +
          `${(r.run.checkMs / 1000).toFixed(1)} s | ${(r.run.commitMs / 1000).toFixed(1)} s | ${thousands(r.rowsPerSecond)} | ` +
          `${mb(r.run.peakRss).toFixed(0)} MB | ${mb(r.run.baselineRss).toFixed(0)} MB |`,
      ),
    ].join('\n');
    const first = results[0]!;
    const growth = mb(largest.run.peakRss) - mb(first.run.peakRss);
    const met = counts.p95 <= TARGET_COUNTS_P95_MS;
    const verdict = [
      `- Memory: peak RSS ${results.map((r) => `${mb(r.run.peakRss).toFixed(0)} MB`).join(', ')} at ${results.map((r) => thousands(r.rows)).join(', ')} rows ` +
        `(${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB from the smallest to the largest, ${(largest.rows / first.rows).toFixed(0)} × the rows).`,
      `- Counts page p95 at ${thousands(largest.run.imported)} subscribers: **${counts.p95.toFixed(1)} ms** (target ≤ ${TARGET_COUNTS_P95_MS} ms: ${met ? 'met' : 'NOT met'}); ` +
        `the bare route under the same load: p95 ${floor.p95.toFixed(1)} ms; counts page vs bare route: ${(counts.requestsPerSecond / floor.requestsPerSecond).toFixed(2)} of its requests per second.`,
    ];
    say('');
    say(importTable);
    say('');
    say(table(measurements));
    say('');
    for (const line of verdict) say(line);

    await writeSection(
      'subscriptions',
      [
        `## Subscriptions (\`npm run bench -- subscriptions${quick ? ' --quick' : ''}\`)`,
        '',
        `Run on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineNote()}.`,
        '',
        `**Import.** Generated files (\`bench/subscriptions.ts\`): mixed topics (a third name none and get the Dispatch), 70 % with a consent date, ` +
          `a bad line every ${thousands(BAD_EVERY)} (bad address, unknown topic, future date, repeated address, wrong field count). ` +
          'Each file is checked and imported (`validateImport` then `commitImport`, the code behind the admin page and the CLI) in a child process ' +
          'of its own on a fresh SQLite file (production settings: WAL, synchronous FULL), so its peak RSS (`process.resourceUsage().maxRSS`) is that import\u2019s alone. ' +
          '"Rows/s" counts the file\u2019s lines over both steps.' +
          (onPostgres
            ? ' The PostgreSQL row is the largest file again, into a fresh schema of a local PostgreSQL on the same machine (`--postgres`).'
            : ''),
        '',
        importTable,
        '',
        `**Counts page.** The real app (production config) in its own process on the ${thousands(largest.run.imported)}-subscriber database, ` +
          `a publisher\u2019s session minted in the sessions table; autocannon, ${load.connections} connections, ${load.warmup} s warm-up then ${load.seconds} s, ` +
          `against \`${COUNTS_PAGE}\` (${Buffer.byteLength(probeBody)} bytes) and, as the floor, \`${FLOOR}\` with the same cookie.`,
        '',
        table(measurements),
        '',
        ...verdict,
      ].join('\n'),
    );
    say('');
    say(
      `subscriptions: import ${thousands(largest.rowsPerSecond).replaceAll(',', '')} rows/s, peak RSS ${mb(largest.run.peakRss).toFixed(0)} MB, counts p95 ${counts.p95.toFixed(1)} ms`,
    );
  } finally {
    await server?.stop();
    await fsp.rm(root, { recursive: true, force: true });
  }
}
