import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { rebuildSearchIndex } from '../src/publishing/search/index-entry.ts';
import { createRuntime } from '../src/server.ts';
import { seedInstallation } from '../src/start.ts';
import { type BenchServer, startBenchServer } from './support/bench-server.ts';
import { benchQueries } from './support/corpus.ts';
import { type Measurement, measure } from './support/measure.ts';
import { machineNote, table, writeSection } from './support/report.ts';
import { seedArticles } from './support/seed-articles.ts';

// `npm run bench -- publishing`: 10,000 published articles in 120 issues on a fresh SQLite data
// directory, the real app in a child process, and autocannon against an article page, the issue
// archive, search, and a static route of the same size on the same Fastify instance.
// Options: --articles N --issues N --seconds S --warmup S --connections N

const TARGET_RATIO = 0.5;
const TARGET_SEARCH_P95_MS = 25;

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? Number.NaN : Number(args[at + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const say = (line: string) => console.log(line);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The first path that does not answer 404, and whether it had to fall back. */
async function firstFound(origin: string, paths: string[]): Promise<{ path: string; fellBack: boolean }> {
  for (const [i, candidate] of paths.entries()) {
    const response = await fetch(origin + candidate);
    await response.arrayBuffer();
    if (response.status !== 404) {
      if (response.status !== 200) throw new Error(`${candidate} answered ${response.status}`);
      return { path: candidate, fellBack: i > 0 };
    }
  }
  throw new Error(`None of ${paths.join(', ')} exists`);
}

export async function main(args: string[]): Promise<void> {
  const articles = option(args, 'articles', 10_000);
  const issues = option(args, 'issues', 120);
  const load = { seconds: option(args, 'seconds', 8), warmup: option(args, 'warmup', 2), connections: option(args, 'connections', 10) };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dispatch-bench-'));
  const secret = randomBytes(32).toString('hex');
  let server: BenchServer | undefined;
  try {
    say(`publishing benchmark: seeding ${articles} articles in ${issues} issues into ${dataDir}`);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DISPATCH_SECRET: secret, LOG_LEVEL: 'silent' });
    const runtime = createRuntime(config, { logger: pino({ level: 'silent' }) });
    let started = performance.now();
    await migrateToLatest(runtime.ctx.db);
    await seedInstallation(runtime.ctx);
    const seeded = await seedArticles(runtime.ctx, { articles, issues });
    const seedMs = performance.now() - started;
    started = performance.now();
    const indexed = await rebuildSearchIndex(runtime.ctx);
    const indexMs = performance.now() - started;
    await runtime.close();
    const dbBytes = (await fs.readdir(dataDir)).length > 0 ? (await fs.stat(path.join(dataDir, 'dispatch.sqlite'))).size : 0;
    say(
      `  seeded in ${seconds(seedMs)} (${(seeded.markdownBytes / 1e6).toFixed(1)} MB of Markdown); indexed ${indexed} entries in ${seconds(indexMs)}`,
    );

    server = await startBenchServer({ BENCH_DATA_DIR: dataDir, BENCH_SECRET: secret });
    const { origin } = server;
    const slug = seeded.slugs[Math.floor(seeded.slugs.length / 2)]!;
    const article = await firstFound(origin, [`/articles/${slug}`, '/']);
    const archive = await firstFound(origin, ['/issues', '/']);
    const articleBytes = (await (await fetch(origin + article.path)).arrayBuffer()).byteLength;
    const staticPath = `/bench/static/${articleBytes}`;
    const staticBytes = (await (await fetch(origin + staticPath)).arrayBuffer()).byteLength;
    if (staticBytes !== articleBytes) throw new Error(`static route sent ${staticBytes} bytes, expected ${articleBytes}`);
    const searchPaths = [
      ...benchQueries.map((q) => `/search?q=${encodeURIComponent(q)}`),
      `/search?q=${encodeURIComponent('school resource officer')}&kind=article&topic=bench-youth`,
      `/search?q=partnership&page=3`,
    ];
    say(`  app listening at ${origin}; article page ${article.path} is ${articleBytes} bytes`);

    const results: Measurement[] = [];
    for (const target of [
      { label: article.fellBack ? 'article (fallback: current issue)' : 'article page', paths: [article.path] },
      { label: archive.fellBack ? 'issue archive (fallback: current issue)' : 'issue archive', paths: [archive.path] },
      { label: 'search', paths: searchPaths },
      { label: 'static, same size', paths: [staticPath] },
      // Not a target: the same searches one at a time, to separate query cost from queueing.
      { label: 'search, 1 connection', paths: searchPaths, connections: 1 },
    ]) {
      const run = { ...load, connections: target.connections ?? load.connections };
      say(`  measuring ${target.label} (${run.warmup} s warm-up, ${run.seconds} s, ${run.connections} connections)`);
      results.push(await measure(origin, target, run));
    }
    await server.stop();
    server = undefined;

    const [articleResult, , searchResult, staticResult, searchAlone] = results as [
      Measurement,
      Measurement,
      Measurement,
      Measurement,
      Measurement,
    ];
    const ratio = articleResult.requestsPerSecond / staticResult.requestsPerSecond;
    const ratioMet = ratio >= TARGET_RATIO;
    const searchMet = searchResult.p95 <= TARGET_SEARCH_P95_MS;
    const rendered = table(results);
    const verdict = [
      `- Article page vs static route of the same size: **${ratio.toFixed(3)}** (target ≥ ${TARGET_RATIO.toFixed(2)}: ${ratioMet ? 'met' : 'NOT met'}).`,
      `- Search p95: **${searchResult.p95.toFixed(1)} ms** (target ≤ ${TARGET_SEARCH_P95_MS} ms: ${searchMet ? 'met' : 'NOT met'}).`,
      `- Search alone (1 connection): p50 ${searchAlone.p50.toFixed(1)} ms, p95 ${searchAlone.p95.toFixed(1)} ms; with ${load.connections} connections a request mostly waits for the ones ahead of it (one process, one core).`,
      `- Issue archive vs static: ${(results[1]!.requestsPerSecond / staticResult.requestsPerSecond).toFixed(2)}; search vs static: ${(searchResult.requestsPerSecond / staticResult.requestsPerSecond).toFixed(2)}.`,
      ...(article.fellBack ? ['- `/articles/:slug` answered 404, so the article row measures the current-issue page `/`.'] : []),
      ...(archive.fellBack ? ['- `/issues` answered 404, so the archive row measures the current-issue page `/`.'] : []),
    ];
    say('');
    say(rendered);
    say('');
    for (const line of verdict) say(line);

    await writeSection(
      'publishing',
      [
        `## Publishing (\`npm run bench -- publishing\`)`,
        '',
        `Run on ${new Date().toISOString().slice(0, 10)}. Machine: ${machineNote()}.`,
        '',
        `Data: ${articles.toLocaleString('en-US')} published articles (${(seeded.markdownBytes / 1e6).toFixed(1)} MB of Markdown) in ${issues} issues, ` +
          `plus the demo issue, on a fresh SQLite file (${(dbBytes / 1e6).toFixed(0)} MB after seeding; WAL not counted). ` +
          `Seeding took ${seconds(seedMs)}, indexing ${indexed.toLocaleString('en-US')} entries ${seconds(indexMs)}.`,
        `Load: autocannon, ${load.connections} connections, ${load.warmup} s warm-up then ${load.seconds} s per target, against the real app ` +
          '(production config, logging silent) in its own process on 127.0.0.1; the load generator has the other core. ' +
          `The article page is \`${article.path}\` (${articleBytes} bytes); the static route sends a string of the same size through the same Fastify instance and hooks. ` +
          `Search cycles through ${searchPaths.length} queries (phrases, or, exclusions, a kind and topic filter, page 3).`,
        '',
        rendered,
        '',
        ...verdict,
      ].join('\n'),
    );
    say('');
    say(
      `publishing: article ${Math.round(articleResult.requestsPerSecond)} req/s, static ${Math.round(staticResult.requestsPerSecond)} req/s, ratio ${ratio.toFixed(2)}, search p95 ${searchResult.p95.toFixed(1)} ms`,
    );
  } finally {
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
