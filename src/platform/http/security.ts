import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookie names: `__Host-` when served over https (Secure, no Domain, Path=/), plain on a local http demo. */
export function cookieName(config: Config, base: string): string {
  return config.secure ? `__Host-${base}` : base;
}

/**
 * Security headers, CSRF tokens and the cross-site request check, for every route.
 * Routes opt out of the CSRF checks only with `config: { csrf: false }`.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        ...(config.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only means something over https; on a localhost demo it would pin localhost to https.
    strictTransportSecurity: config.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });

  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookieName(config, 'dispatch_csrf'),
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secure, signed: true },
    getToken: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });

  const allowedOrigins = new Set([new URL(config.publicUrl).origin]);
  const isCrossSite = (request: FastifyRequest): boolean => {
    // Fetch Metadata first: browsers since 2020 say where a request came from.
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return true;
    const origin = request.headers.origin;
    if (origin === undefined) return false;
    return !allowedOrigins.has(origin) && origin !== `${request.protocol}://${request.host}`;
  };

  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return;
    if (isCrossSite(request)) {
      throw new AppError('FORBIDDEN', 'This form was sent from another site, so it was refused. Please use the form on this site.');
    }
  });

  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return done();
    app.csrfProtection(request, reply, done);
  });

  // Pages rendered for a signed-in person must never be stored by a browser or a proxy.
  app.addHook('onSend', async (request, reply) => {
    if (request.auth) reply.header('cache-control', 'no-store');
  });
}
