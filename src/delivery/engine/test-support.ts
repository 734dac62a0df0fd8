import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DeliveryFrequency, SubscriberStatus } from '../../platform/db/schema.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';
import { startCampaign } from './start-campaign.ts';
import { writeCampaignLedger } from './write-ledger.ts';

// Helpers for the engine tests (not a test file itself).

export const publisher: StaffActor = { userId: null, email: 'publisher@example.gov' };

/** Subscription topic ids by slug (the installation seeds dispatch, grants, events, …). */
export async function topicIds(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('subscription_topics').select(['id', 'slug']).execute();
  return Object.fromEntries(rows.map((row) => [row.slug, row.id]));
}

/**
 * `count` subscribers straight into the tables, in multi-row inserts (twenty thousand one by one
 * would take most of a test's time), each a member of `topics` with `frequency`. Returns their ids
 * in order; addresses are `<prefix><n>@example.com`.
 */
export async function seedSubscribers(
  db: Db,
  options: { count: number; topics: string[]; frequency?: DeliveryFrequency; status?: SubscriberStatus; prefix?: string },
): Promise<string[]> {
  const at = '2026-01-02T10:00:00.000Z';
  const status = options.status ?? 'active';
  const prefix = options.prefix ?? 'reader';
  const ids: string[] = [];
  for (let start = 0; start < options.count; start += 400) {
    const chunk = Array.from({ length: Math.min(400, options.count - start) }, (_, i) => ({ id: randomUUID(), n: start + i + 1 }));
    await db
      .insertInto('subscribers')
      .values(
        chunk.map(({ id, n }) => ({
          id,
          email: `${prefix}${n}@example.com`,
          status,
          consent_at: at,
          consent_source: 'test',
          consent_ip_hash: null,
          consent_user_agent: null,
          confirmed_at: status === 'pending' ? null : at,
          unsubscribed_at: status === 'unsubscribed' ? at : null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    if (options.topics.length > 0) {
      await db
        .insertInto('subscriptions')
        .values(
          chunk.flatMap(({ id }) =>
            options.topics.map((topic) => ({
              subscriber_id: id,
              topic_id: topic,
              frequency: options.frequency ?? 'every',
              created_at: at,
            })),
          ),
        )
        .execute();
    }
    ids.push(...chunk.map((c) => c.id));
  }
  return ids;
}

/** The demo issue the installation seeds (content/demo): a published source every campaign here is about. */
export const DEMO_ISSUE_ID = 'demo-issue-2024-01';

/** A draft bulletin about the demo issue to the given subscription topics. */
export async function insertCampaign(
  db: Db,
  options: { topics: string[]; frequency?: DeliveryFrequency; subject?: string; issueId?: string },
): Promise<number> {
  const at = iso(new Date());
  const row = await db
    .insertInto('delivery_campaigns')
    .values({
      kind: 'bulletin',
      source_type: 'issue',
      source_id: options.issueId ?? DEMO_ISSUE_ID,
      subject: options.subject ?? 'Test bulletin',
      topic_ids: JSON.stringify(options.topics),
      audience_frequency: options.frequency ?? 'every',
      status: 'draft',
      scheduled_for: null,
      paused_reason: null,
      compiled_html: null,
      compiled_text: null,
      created_by: 'test',
      started_by: null,
      created_at: at,
      updated_at: at,
      queued_at: null,
      started_at: null,
      finished_at: null,
      cancelled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Draft → queued → sending with its ledger written, as Send and the start job do. */
export async function startedCampaign(ctx: AppContext, options: { topics: string[]; frequency?: DeliveryFrequency }): Promise<number> {
  const campaignId = await insertCampaign(ctx.db, options);
  await startCampaign(ctx, { campaignId, actor: publisher });
  await writeCampaignLedger(ctx, { campaignId });
  return campaignId;
}

/**
 * The Message-ID each of a campaign's recipients must receive, by address, as the real renderer
 * gives it: the same for every attempt at one delivery, so a resend after a crash is recognisable.
 */
export async function expectedMessageIds(ctx: AppContext, campaignId: number): Promise<Map<string, string>> {
  const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
  const messages = await prepareMessages(ctx, campaign);
  const rows = await ctx.db
    .selectFrom('delivery_recipients')
    .innerJoin('subscribers', 'subscribers.id', 'delivery_recipients.subscriber_id')
    .select(['delivery_recipients.subscriber_id', 'delivery_recipients.topic_id', 'subscribers.email'])
    .where('delivery_recipients.campaign_id', '=', campaignId)
    .execute();
  return new Map(
    rows.map((row) => [row.email, messages.render({ subscriberId: row.subscriber_id, email: row.email, topicId: row.topic_id }).messageId]),
  );
}

/** Ledger rows of a campaign by status. */
export async function ledgerCounts(db: Db, campaignId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('delivery_recipients')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

export async function campaignStatus(db: Db, campaignId: number) {
  return db
    .selectFrom('delivery_campaigns')
    .select(['status', 'paused_reason', 'recipients'])
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------------------------
// The sink: a real SMTP server that records what it accepted and can misbehave on purpose.

export interface SinkDelivery {
  to: string;
  messageId: string;
  /** Date.now() when the message was accepted. */
  at: number;
}

export type SinkRefusal = { code: number; message: string } | 'drop' | undefined;

export interface SinkOptions {
  /** Decides, at RCPT TO, whether to refuse the recipient (a reply) or cut the connection ('drop'). */
  atRecipient?: (address: string) => SinkRefusal;
  /** Runs after the data arrived and before the 250: can stall the reply, or drop the connection. */
  beforeAccepting?: (address: string) => Promise<SinkRefusal> | SinkRefusal;
  /** Keep each accepted message's text (tests of content; off for large sends). */
  keepRaw?: boolean;
}

export async function startSink(options: SinkOptions = {}) {
  const deliveries: SinkDelivery[] = [];
  const raws: string[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error) => void) {
      const refusal = options.atRecipient?.(address.address);
      if (refusal === 'drop') return dropConnection(server, session);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const to = session.envelope.rcptTo[0]?.address ?? '';
        const refusal = await options.beforeAccepting?.(to);
        if (refusal === 'drop') return dropConnection(server, session);
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        const message = Buffer.concat(chunks);
        const end = message.indexOf('\r\n\r\n');
        const head = message.toString('latin1', 0, end === -1 ? message.length : end);
        const messageId = /^message-id:\s*<([^>]+)>/im.exec(head)?.[1] ?? '';
        deliveries.push({ to, messageId, at: Date.now() });
        if (options.keepRaw) raws.push(message.toString('utf8'));
        callback();
      });
    },
  });
  // A client that is killed mid-conversation resets its connection; for this sink that is expected.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    deliveries,
    raws,
    /** How many messages each address received. */
    counts(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const d of deliveries) counts.set(d.to, (counts.get(d.to) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Sink = Awaited<ReturnType<typeof startSink>>;

/** Cuts a client off mid-conversation, as a relay that crashes or a network that fails would. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections;
  for (const connection of connections) if (connection.id === session.id) connection._socket.destroy();
}

/** The addresses of subscribers, by id. */
export async function addressesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('subscribers')
      .select(['id', 'email'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) map.set(row.id, row.email);
  }
  return map;
}
