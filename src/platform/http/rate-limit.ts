import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { addMs, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';

export interface RateLimitResult {
  hits: number;
  /** Milliseconds until the window resets. */
  ttlMs: number;
}

/**
 * Counts one hit against `key` in a fixed window, atomically, in the database, so every web
 * process shares the same counters. One upsert: a new or expired window restarts at 1.
 */
export async function hitRateLimit(db: Db, clock: Clock, key: string, windowMs: number): Promise<RateLimitResult> {
  const now = clock.now();
  const nowIso = iso(now);
  const resetIso = iso(addMs(now, windowMs));
  const row = await db
    .insertInto('rate_limits')
    .values({ key, hits: 1, resets_at: resetIso })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`CASE WHEN rate_limits.resets_at <= ${nowIso} THEN 1 ELSE rate_limits.hits + 1 END`,
        resets_at: sql`CASE WHEN rate_limits.resets_at <= ${nowIso} THEN ${resetIso} ELSE rate_limits.resets_at END`,
      }),
    )
    .returning(['hits', 'resets_at'])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, ttlMs: Math.max(0, new Date(row.resets_at).getTime() - now.getTime()) };
}

/** Removes windows that ended (run by a recurring job so the table stays small). */
export async function purgeExpiredRateLimits(db: Db, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('resets_at', '<=', iso(clock.now())).executeTakeFirst();
  return Number(result.numDeletedRows);
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit backed by hitRateLimit. Each route gets its own key prefix
 * (method and URL), so `POST /login` and `POST /account/recover` count separately.
 */
export class DatabaseRateLimitStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly prefix = 'global',
  ) {}

  incr(key: string, callback: IncrCallback, timeWindow: number): void {
    hitRateLimit(this.db, this.clock, `${this.prefix}:${key}`, timeWindow).then(
      (r) => callback(null, { current: r.hits, ttl: r.ttlMs }),
      (error: Error) => callback(error),
    );
  }

  // At run time the plugin passes the route's merged rate-limit options with `routeInfo` (its
  // declared type says RouteOptions), so read the fields defensively.
  child(routeOptions: object): DatabaseRateLimitStore {
    const options = routeOptions as { routeInfo?: { method?: unknown; url?: unknown }; nameSpace?: unknown };
    const route = options.routeInfo;
    const prefix =
      typeof options.nameSpace === 'string'
        ? options.nameSpace
        : typeof route?.url === 'string'
          ? `${String(route.method)} ${route.url}`
          : this.prefix;
    return new DatabaseRateLimitStore(this.db, this.clock, prefix);
  }
}
