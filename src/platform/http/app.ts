import { createHmac, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import { registerErrorHandling } from './errors.ts';
import { registerPageCache } from './page-cache.ts';
import { DatabaseRateLimitStore } from './rate-limit.ts';
import { registerRendering } from './render.ts';
import { registerSecurity } from './security.ts';
import { registerSessionLoading } from './session-cookie.ts';
import './types.ts';

/** A feature's routes: registered in their own encapsulated context after the platform. */
export type FeatureRoutes = (app: FastifyInstance, ctx: AppContext) => Promise<void>;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Builds the HTTP application: platform plugins first (security, sessions, rendering, errors),
 * then each feature's routes. Separate from `listen` so tests drive it through `inject()`.
 */
export async function buildApp(ctx: AppContext, features: FeatureRoutes[]): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Form fields arrive as strings; we validate them with zod, not Fastify's JSON schema.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Cookie signatures use a key derived from the secret, never the secret itself.
  await app.register(cookie, { secret: createHmac('sha256', ctx.config.secret).update('cookie-signing').digest('hex') });
  registerSessionLoading(app, ctx);
  registerRendering(app, ctx);
  await registerSecurity(app, ctx.config);
  registerErrorHandling(app);
  registerPageCache(app, ctx);

  await app.register(rateLimit, {
    global: false,
    store: class extends DatabaseRateLimitStore {
      constructor() {
        super(ctx.db, ctx.clock);
      }
    },
    errorResponseBuilder: () => new AppError('RATE_LIMITED', 'You have made too many attempts. Please wait a few minutes and try again.'),
  });

  await app.register(fastifyStatic, {
    root: path.join(projectRoot, 'node_modules/@uswds/uswds/dist'),
    prefix: '/assets/uswds/',
    maxAge: '7d',
  });
  await app.register(fastifyStatic, {
    root: path.join(projectRoot, 'public'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: '1h',
  });

  // Browsers ask for /favicon.ico on pages that name no icon (the e-mail preview, feeds, JSON).
  app.get('/favicon.ico', (_request, reply) =>
    reply.sendFile('img/favicons/favicon.ico', path.join(projectRoot, 'node_modules/@uswds/uswds/dist')),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      const pending = await pendingMigrations(ctx.db);
      if (pending.length > 0) return reply.status(503).send({ status: 'migrations pending', pending });
      return { status: 'ready', database: ctx.dialect };
    } catch (error) {
      ctx.log.error({ err: error }, 'readiness check failed');
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });

  for (const feature of features) {
    await app.register(async (scope) => feature(scope, ctx));
  }
  return app;
}
