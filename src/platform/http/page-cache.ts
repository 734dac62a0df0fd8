import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';

/**
 * A cache of public pages for anonymous readers. A route opts in with `config: { pageCache: true }`.
 * Entries are keyed by URL and the database's content version (bumped by triggers whenever any
 * published content or setting changes), so a change shows on the next request from every process.
 * Entries also expire after a minute, for pages that depend on the time (upcoming events).
 * Each response still gets its own CSP nonce: the cached HTML's nonce is swapped for the new one.
 */
export interface PageCacheOptions {
  maxEntries?: number;
  ttlMs?: number;
}

interface Entry {
  version: number;
  storedAt: number;
  html: string;
  nonce: string;
  contentType: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Cache this GET page for anonymous readers (it must not contain forms with CSRF tokens). */
    pageCache?: boolean;
  }
  interface FastifyRequest {
    pageCacheVersion?: number;
  }
}

// Compiled once per database handle: this runs on every cached page view, and building and
// compiling the query each time would cost more than the lookup itself.
const compiledVersionQuery = new WeakMap<Db, ReturnType<typeof buildVersionQuery>>();
function buildVersionQuery(db: Db) {
  return db.selectFrom('content_version').select('version').where('id', '=', 1).compile();
}

/** Reads the content version: one primary-key lookup. */
export async function contentVersion(db: Db): Promise<number> {
  let query = compiledVersionQuery.get(db);
  if (!query) {
    query = buildVersionQuery(db);
    compiledVersionQuery.set(db, query);
  }
  const { rows } = await db.executeQuery(query);
  return rows[0]?.version ?? 0;
}

function cacheable(request: FastifyRequest): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.routeOptions.config.pageCache === true &&
    // Signed-in people see their name and admin links; they always get a fresh page.
    request.auth === null
  );
}

/** Registers the cache hooks; the store lives in this process (each process warms its own). */
export function registerPageCache(app: FastifyInstance, deps: { db: Db; clock: Clock }, options: PageCacheOptions = {}): void {
  const maxEntries = options.maxEntries ?? 1000;
  const ttlMs = options.ttlMs ?? 60_000;
  const entries = new Map<string, Entry>();

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!cacheable(request)) return;
    const version = await contentVersion(deps.db);
    request.pageCacheVersion = version;
    const entry = entries.get(request.url);
    if (!entry || entry.version !== version || deps.clock.now().getTime() - entry.storedAt > ttlMs) return;
    // Refresh its place in the LRU order.
    entries.delete(request.url);
    entries.set(request.url, entry);
    const nonce = reply.cspNonce?.script ?? '';
    reply.header('x-page-cache', 'hit').type(entry.contentType);
    return reply.send(entry.nonce ? entry.html.replaceAll(entry.nonce, nonce) : entry.html);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.pageCacheVersion === undefined || reply.getHeader('x-page-cache') === 'hit') return payload;
    if (reply.statusCode !== 200 || typeof payload !== 'string' || reply.getHeader('set-cookie') !== undefined) return payload;
    // Belt and braces: a page with an anti-forgery token is tied to one visitor and is never shared.
    if (payload.includes('name="_csrf"')) return payload;
    entries.delete(request.url);
    entries.set(request.url, {
      version: request.pageCacheVersion,
      storedAt: deps.clock.now().getTime(),
      html: payload,
      nonce: reply.cspNonce?.script ?? '',
      contentType: String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8'),
    });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    reply.header('x-page-cache', 'miss');
    return payload;
  });
}
