import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { FixedClock, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { SubscriberStatus, SuppressionReason } from '../../platform/db/schema.ts';
import { parseDevMail } from '../../platform/mail/dev-mailbox.ts';
import { emailHash } from '../keys.ts';
import { DISPATCH_TOPIC_SLUG } from '../topics.ts';
import { processSubscriptionRequests } from './process-subscription-requests.ts';

// Helpers for the sign-up tests (not a test file itself).

/** A topic's id by slug (the seed's: dispatch, events, school-safety, grants, editorial-partners). */
export async function topicId(ctx: AppContext, slug: string): Promise<string> {
  const row = await ctx.db.selectFrom('subscription_topics').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

/** POSTs the sign-up form as a browser would: the page first (for its token), then the form. */
export async function postSubscribe(
  browser: Browser,
  fields: { email: string; topics?: string[]; source?: string },
  headers: Record<string, string> = {},
) {
  const page = await browser.get('/subscribe');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error('no CSRF token on /subscribe');
  const body = new URLSearchParams({ _csrf: token, email: fields.email, ...(fields.source ? { source: fields.source } : {}) });
  for (const topic of fields.topics ?? []) body.append('topics', topic);
  return browser.request({
    method: 'POST',
    url: '/subscribe',
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** Signs up `email` for the Dispatch (or `topics`) through the real form, from a fresh browser. */
export async function signUp(app: FastifyInstance, ctx: AppContext, email: string, topics?: string[]) {
  const response = await postSubscribe(new Browser(app), { email, topics: topics ?? [await topicId(ctx, DISPATCH_TOPIC_SLUG)] });
  if (response.statusCode !== 200) throw new Error(`sign-up answered ${response.statusCode}`);
  return response;
}

/** Runs the request-processing job as the runner would. */
export const processRequests = (ctx: AppContext) => processSubscriptionRequests(ctx);

/** Confirmation e-mails in the dev mailbox, oldest first, parsed, with the link each carries. */
export async function confirmationMails(ctx: AppContext, to?: string) {
  const rows = await ctx.db
    .selectFrom('dev_mail')
    .selectAll()
    .where('subject', 'like', 'Confirm your subscription%')
    .$if(to !== undefined, (q) => q.where('recipients', 'like', `%${to}%`))
    .orderBy('id')
    .execute();
  return Promise.all(
    rows.map(async (row) => {
      const parsed = await parseDevMail(row.raw);
      const link = /https?:\/\/\S+\/subscribe\/confirm\/([A-Za-z0-9_-]+)/.exec(parsed.text ?? '');
      return { ...parsed, recipients: row.recipients, link: link?.[0] ?? '', token: link?.[1] ?? '' };
    }),
  );
}

/** The path of the newest confirmation link mailed to `to`. */
export async function latestConfirmationPath(ctx: AppContext, to: string): Promise<string> {
  const mail = (await confirmationMails(ctx, to)).at(-1);
  if (!mail?.token) throw new Error(`no confirmation mail to ${to}`);
  return `/subscribe/confirm/${mail.token}`;
}

/** A subscriber written directly, with memberships, for setting up a state to test from. */
export async function seedSubscriber(
  ctx: AppContext,
  email: string,
  status: SubscriberStatus,
  topicSlugs: string[] = [DISPATCH_TOPIC_SLUG],
) {
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  await ctx.db
    .insertInto('subscribers')
    .values({
      id,
      email,
      status,
      consent_at: now,
      consent_source: 'seed',
      consent_ip_hash: null,
      consent_user_agent: null,
      confirmed_at: status === 'pending' ? null : now,
      unsubscribed_at: status === 'unsubscribed' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const slug of topicSlugs) {
    await ctx.db
      .insertInto('subscriptions')
      .values({ subscriber_id: id, topic_id: await topicId(ctx, slug), frequency: 'every', created_at: now })
      .execute();
  }
  return id;
}

export async function suppress(ctx: AppContext, email: string, reason: SuppressionReason) {
  await ctx.db
    .insertInto('subscriber_suppressions')
    .values({ email_hash: emailHash(ctx.config.secret, email), reason, created_at: iso(ctx.clock.now()) })
    .execute();
}

/** The subscriber with its topic slugs (sorted) and history kinds (in order), or undefined. */
export async function subscriberState(ctx: AppContext, email: string) {
  const subscriber = await ctx.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
  if (!subscriber) return undefined;
  const topics = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
    .select(['subscription_topics.slug', 'subscriptions.frequency'])
    .where('subscriptions.subscriber_id', '=', subscriber.id)
    .orderBy('subscription_topics.slug')
    .execute();
  const events = await ctx.db
    .selectFrom('subscriber_events')
    .select(['kind', 'actor', 'details'])
    .where('subscriber_id', '=', subscriber.id)
    .orderBy('id')
    .execute();
  return {
    ...subscriber,
    topics: topics.map((t) => t.slug),
    events: events.map((e) => ({ kind: e.kind, actor: e.actor, details: JSON.parse(e.details) as Record<string, unknown> })),
  };
}

const WATCHED_TABLES = [
  'subscribers',
  'subscriptions',
  'subscription_requests',
  'subscriber_events',
  'subscriber_suppressions',
  'subscriber_access_tokens',
  'subscription_counts',
  'subscription_growth',
  'jobs',
  'dev_mail',
  'rate_limits',
] as const;

/**
 * Every row of the tables a sign-up could touch, as sorted JSON lines per table: compare two
 * snapshots to prove a request changed nothing (or only what it should).
 */
export async function snapshot(
  ctx: AppContext,
  options: { except?: (typeof WATCHED_TABLES)[number][] } = {},
): Promise<Partial<Record<(typeof WATCHED_TABLES)[number], string[]>>> {
  const entries = await Promise.all(
    WATCHED_TABLES.filter((table) => !options.except?.includes(table)).map(async (table) => {
      const rows = await ctx.db.selectFrom(table).selectAll().execute();
      return [table, rows.map((row) => JSON.stringify(row)).sort()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Rows per watched table. */
export async function rowCounts(ctx: AppContext): Promise<Record<string, number>> {
  const tables = await snapshot(ctx);
  return Object.fromEntries(Object.entries(tables).map(([table, rows]) => [table, rows?.length ?? 0]));
}

/**
 * For a suite: a function that starts the app on a clock standing at 2026-03-02 15:00 UTC, and an
 * afterEach that closes whatever app the test started.
 */
export function appOnFixedClock(handle: () => DatabaseHandle) {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  return async () => {
    const clock = new FixedClock(new Date('2026-03-02T15:00:00.000Z'));
    const created = await createTestApp(handle(), { clock });
    app = created.app;
    return { ...created, clock };
  };
}
