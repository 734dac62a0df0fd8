import { randomUUID } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import { issueSetupLink } from '../../src/accounts/issue-setup-link.ts';
import { loadConfig } from '../../src/config.ts';
import { createCampaign } from '../../src/delivery/campaigns/create-campaign.ts';
import { hashToken, newToken } from '../../src/platform/auth/tokens.ts';
import type { AppContext } from '../../src/platform/context.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { buildApp, type FeatureRoutes } from '../../src/platform/http/app.ts';
import { createRuntime, features } from '../../src/server.ts';
import { seedInstallation } from '../../src/start.ts';
import { signSubscriberLink } from '../../src/subscriptions/keys.ts';
import { Browser, createStaff } from '../support/app.ts';
import { describeEachDatabase, type Engine, tableNames } from '../support/databases.ts';

// A crawler over the route table (reliability test 11, ASVS 3.5.3): every GET route, with every
// candidate value for its parameters (real ids and live tokens of every kind, plus junk), requested
// by a visitor and by a signed-in administrator, must leave every table exactly as it was. Mail
// scanners and link previews follow links; only a POST may change anything.

// Tables a GET may legitimately touch: a signed-in request slides its session's idle timeout, and
// rate-limited GETs (those that check a secret in the URL) count hits.
const MAY_CHANGE_ON_GET = new Set(['sessions', 'rate_limits']);

/** Every row of every table, as sorted JSON lines per table: equal snapshots mean nothing changed. */
async function snapshot(db: Db, engine: Engine): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of await tableNames(db, engine)) {
    if (MAY_CHANGE_ON_GET.has(table)) continue;
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
    result[table] = rows.rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return result;
}

/** Ids of rows the routes could be asked about: one of each kind, so every `:id` route finds something real. */
async function realIds(db: Db, engine: Engine): Promise<string[]> {
  const ids = new Set<string>();
  for (const table of await tableNames(db, engine)) {
    const columns = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} LIMIT 1`.execute(db);
    const row = columns.rows[0];
    if (row && 'id' in row && row.id !== null) ids.add(String(row.id));
  }
  return [...ids];
}

/** Live secrets of every kind a link can carry: a confirmation, a sign-in, a setup link, signed subscriber links. */
async function liveTokens(ctx: AppContext): Promise<string[]> {
  const now = new Date(ctx.clock.now().getTime());
  const later = new Date(now.getTime() + 60 * 60 * 1000).toISOString();
  const subscriberId = randomUUID();
  const topic = await ctx.db.selectFrom('subscription_topics').select('id').executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('subscribers')
    .values({
      id: subscriberId,
      email: 'crawled@example.gov',
      status: 'pending',
      consent_at: now.toISOString(),
      consent_source: 'test',
      consent_ip_hash: null,
      consent_user_agent: null,
      confirmed_at: null,
      unsubscribed_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  await ctx.db
    .insertInto('subscriptions')
    .values({ subscriber_id: subscriberId, topic_id: topic.id, frequency: 'every', created_at: now.toISOString() })
    .execute();

  const confirm = newToken();
  await ctx.db
    .insertInto('subscription_requests')
    .values({
      id: randomUUID(),
      email: 'crawled@example.gov',
      topic_ids: JSON.stringify([topic.id]),
      source: 'test',
      ip_hash: null,
      user_agent: null,
      created_at: now.toISOString(),
      processed_at: now.toISOString(),
      token_hash: hashToken(confirm),
      expires_at: later,
    })
    .execute();
  const signIn = newToken();
  await ctx.db
    .insertInto('subscriber_access_tokens')
    .values({
      token_hash: hashToken(signIn),
      subscriber_id: subscriberId,
      purpose: 'sign_in',
      created_at: now.toISOString(),
      expires_at: later,
      used_at: null,
    })
    .execute();
  const setup = await issueSetupLink(ctx, { email: 'crawled.staff@example.gov', role: 'editor', actor: 'test' });
  return [
    confirm,
    signIn,
    setup.url.split('/').at(-1) as string,
    signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId }),
    signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId, topicId: topic.id }),
    signSubscriberLink(ctx.config.secret, 'preferences', { subscriberId }),
  ];
}

/**
 * Campaigns whose pages show the most: a draft (edit, schedule and test forms, the send
 * confirmation) and a send under way with a ledger row (progress, report). Their ids as strings.
 */
async function campaignsOfEveryKind(ctx: AppContext): Promise<string[]> {
  const actor = { userId: null, email: 'test' };
  const issue = await ctx.db.selectFrom('publishing_issues').select('id').executeTakeFirstOrThrow();
  const draft = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${issue.id}`, actor });
  const sending = await createCampaign(ctx, { kind: 'bulletin', source: `issue:${issue.id}`, actor });
  const now = ctx.clock.now().toISOString();
  const subscriber = await ctx.db.selectFrom('subscribers').select('id').executeTakeFirstOrThrow();
  const topic = await ctx.db.selectFrom('subscription_topics').select('id').executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'sending', recipients: 1, queued_at: now, started_at: now, started_by: 'test' })
    .where('id', '=', sending)
    .execute();
  await ctx.db
    .insertInto('delivery_recipients')
    .values({ campaign_id: sending, subscriber_id: subscriber.id, topic_id: topic.id, status: 'pending', due_at: now })
    .execute();
  return [String(draft), String(sending)];
}

/** Every concrete URL for a route path, trying each candidate for each parameter. */
function urlsFor(path: string, candidates: string[]): string[] {
  const params = path.match(/:[A-Za-z_]+/g) ?? [];
  if (path.includes('*')) return [];
  let urls = [path];
  for (const param of params) {
    urls = urls.flatMap((url) => candidates.map((value) => url.replace(param, encodeURIComponent(value))));
  }
  return urls;
}

describeEachDatabase('no GET changes anything', ({ handle, engine }) => {
  it('crawls every GET route as a visitor and as an administrator and finds every table unchanged', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const runtime = createRuntime(config, { database: handle(), logger: pino({ level: 'silent' }) });
    const ctx = runtime.ctx;
    await seedInstallation(ctx);

    const routes: { method: string | string[]; url: string }[] = [];
    const collecting: FeatureRoutes[] = features.map((feature) => async (scope, featureCtx) => {
      scope.addHook('onRoute', (route: RouteOptions) => {
        routes.push({ method: route.method, url: route.url });
      });
      await feature(scope, featureCtx);
    });
    const app: FastifyInstance = await buildApp(ctx, collecting);
    await app.ready();

    const admin = await createStaff(ctx, 'admin');
    const signedIn = new Browser(app);
    await signedIn.signIn(admin.email, admin.password);
    const visitor = new Browser(app);

    const tokens = await liveTokens(ctx);
    const campaignIds = await campaignsOfEveryKind(ctx);
    const candidates = [...(await realIds(ctx.db, engine)), ...tokens, ...campaignIds, 'not-a-real-value', '1'];
    const gets = routes.filter((r) => (Array.isArray(r.method) ? r.method.includes('GET') : r.method === 'GET'));
    expect(gets.length).toBeGreaterThan(30);

    const before = await snapshot(ctx.db, engine);
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const route of gets) {
      for (const url of urlsFor(route.url, candidates)) {
        for (const who of [visitor, signedIn]) {
          const response = await who.get(url);
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          requests++;
        }
      }
    }
    const after = await snapshot(ctx.db, engine);
    for (const table of Object.keys(before)) expect(after[table], `table ${table} after ${requests} GET requests`).toEqual(before[table]);
    // The crawl reached real pages, not only 404s.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(gets.length / 2);
    await app.close();
  }, 240_000);
});
