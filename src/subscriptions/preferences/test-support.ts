import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { tableNames } from '../../../test/support/databases.ts';
import { createJobRunner } from '../../jobs.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DeliveryFrequency, SubscriberStatus } from '../../platform/db/schema.ts';
import { parseDevMail } from '../../platform/mail/dev-mailbox.ts';

// Helpers for the preferences and unsubscribe tests (not used by the application).

export { topicId } from '../signup/test-support.ts';

/** Puts a subscriber straight into the database, with memberships of the topics given by slug. */
export async function seedSubscriber(
  ctx: AppContext,
  options: { email: string; status?: SubscriberStatus; topics?: string[]; frequency?: DeliveryFrequency; confirmed?: boolean },
): Promise<string> {
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  const status = options.status ?? 'active';
  const confirmed = options.confirmed ?? status !== 'pending';
  await ctx.db
    .insertInto('subscribers')
    .values({
      id,
      email: options.email,
      status,
      consent_at: now,
      consent_source: 'test seed',
      consent_ip_hash: 'f'.repeat(32),
      consent_user_agent: 'Seed/1.0',
      confirmed_at: confirmed ? now : null,
      unsubscribed_at: status === 'unsubscribed' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const slug of options.topics ?? []) {
    const topic = await ctx.db.selectFrom('subscription_topics').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('subscriptions')
      .values({ subscriber_id: id, topic_id: topic.id, frequency: options.frequency ?? 'every', created_at: now })
      .execute();
  }
  return id;
}

/** The subscriber's memberships as "slug:frequency", sorted. */
export async function membershipsOf(ctx: AppContext, subscriberId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
    .select(['subscription_topics.slug', 'subscriptions.frequency'])
    .where('subscriptions.subscriber_id', '=', subscriberId)
    .orderBy('subscription_topics.slug')
    .execute();
  return rows.map((r) => `${r.slug}:${r.frequency}`);
}

export async function eventsOf(ctx: AppContext, subscriberId: string) {
  const rows = await ctx.db
    .selectFrom('subscriber_events')
    .select(['kind', 'actor', 'details'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ kind: r.kind, actor: r.actor, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Runs queued jobs the way `serve` does, until none is left; returns how many ran. */
export async function runQueuedJobs(ctx: AppContext): Promise<number> {
  const runner = await createJobRunner(ctx);
  let total = 0;
  for (let ran = await runner.runOnce(); ran > 0; ran = await runner.runOnce()) total += ran;
  return total;
}

/** Texts of the dev-mailbox messages to `to`, oldest first. */
export async function mailTo(ctx: AppContext, to: string) {
  const rows = await ctx.db.selectFrom('dev_mail').select('raw').where('recipients', '=', to).orderBy('id').execute();
  return Promise.all(rows.map((row) => parseDevMail(row.raw)));
}

/** The sign-in link in the newest preferences mail to `to`. */
export async function signInLinkTo(ctx: AppContext, to: string): Promise<string> {
  const mail = (await mailTo(ctx, to)).at(-1);
  const link = mail?.text?.match(/https?:\/\/\S+\/preferences\/sign-in\/[A-Za-z0-9_-]{43}/)?.[0];
  if (!link) throw new Error(`no sign-in link mailed to ${to}`);
  return link;
}

/** The path of a URL (links are mailed absolute; inject() wants the path). */
export const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/** Row counts of every table (but the migration bookkeeping), to compare what requests wrote. */
export async function rowCounts(ctx: AppContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of (await tableNames(ctx.db, ctx.dialect)).sort()) {
    if (table.startsWith('kysely_')) continue;
    const row = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(ctx.db);
    counts[table] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}

/** Every row of every table as JSON text, by table: for "this value is stored nowhere". */
export async function everyRow(ctx: AppContext): Promise<Record<string, string>> {
  const dump: Record<string, string> = {};
  for (const table of await tableNames(ctx.db, ctx.dialect)) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(ctx.db);
    dump[table] = JSON.stringify(rows.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  }
  return dump;
}

/** Every row of the tables a subscriber's state lives in (rate-limit counters aside), for "nothing changed". */
export async function subscriberState(ctx: AppContext): Promise<Record<string, unknown[]>> {
  const tables = [
    'subscribers',
    'subscriptions',
    'subscriber_events',
    'subscriber_access_tokens',
    'subscriber_suppressions',
    'subscription_requests',
    'subscription_counts',
    'jobs',
    'dev_mail',
  ] as const;
  const state: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(ctx.db);
    state[table] = rows.rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return state;
}

/** The difference between two row-count snapshots, table by table (only tables that changed). */
export function countChanges(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const table of Object.keys(after)) {
    const delta = (after[table] ?? 0) - (before[table] ?? 0);
    if (delta !== 0) changes[table] = delta;
  }
  return changes;
}
