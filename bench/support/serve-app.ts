import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/platform/http/app.ts';
import { createRuntime, features } from '../../src/server.ts';

// The application under test, in a child process of its own so the load generator does not share
// its event loop. Started by startBenchServer() with the data directory in BENCH_DATA_DIR; reports
// { port } over IPC once listening and exits on "stop".

/** A route on the same Fastify instance (same hooks and headers) that only sends a fixed string. */
async function staticRoute(app: FastifyInstance) {
  const bodies = new Map<number, string>();
  app.get('/bench/static/:bytes', async (request, reply) => {
    const bytes = Math.min(Number((request.params as { bytes: string }).bytes) || 0, 5_000_000);
    let body = bodies.get(bytes);
    if (body === undefined) {
      const filler = '<p>Community policing builds trust between officers and the people they serve.</p>\n';
      body = filler.repeat(Math.ceil(bytes / filler.length)).slice(0, bytes);
      bodies.set(bytes, body);
    }
    return reply.type('text/html; charset=utf-8').send(body);
  });
}

async function main() {
  process.env.NODE_ENV = 'production';
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: process.env.BENCH_DATA_DIR,
    DISPATCH_SECRET: process.env.BENCH_SECRET,
    PUBLIC_URL: 'https://dispatch.example.gov',
    LOG_LEVEL: 'silent',
    RUN_JOBS: 'false',
  });
  const runtime = createRuntime(config, { logger: pino({ level: 'silent' }) });
  const app = await buildApp(runtime.ctx, [...features, staticRoute]);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    await app.close();
    await runtime.close();
    process.exit(0);
  });
  // The parent going away (a crash, Ctrl-C) must not leave this server running.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port: address.port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
