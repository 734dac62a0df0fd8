import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { hashToken, newToken } from '../../platform/auth/tokens.ts';
import { addMs, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SubscriptionRequestsTable, SubscriptionTopic } from '../../platform/db/schema.ts';
import { hitRateLimit } from '../../platform/http/rate-limit.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { recordSubscriberEvent } from '../history.ts';
import { emailHash } from '../keys.ts';
import { isBlockedAddress } from '../suppression.ts';
import { confirmationEmail } from './confirmation-email.tsx';
import { topicsForRequest } from './requested-topics.ts';
import {
  CONFIRMATION_LINK_TTL_MS,
  CONFIRMATION_MAIL_WINDOW_MS,
  CONFIRMATION_MAILS_PER_DAY,
  IMPORT_SOURCE,
  STALLED_MAIL_AFTER_MS,
  USER_AGENT_MAX,
} from './signup-rules.ts';

// A request row moves through these states (processed_at, token_hash, expires_at):
//
//   null, null, null   new: nothing done yet
//   null, set,  set    looked up, confirmation being mailed (the token exists only in the sender's memory)
//   null, null, set    looked up, but the mail failed: mail again with a new token
//   set,  set,  set    mailed; the link works until expires_at (confirming deletes the row)
//   set,  null, set    nothing to mail (suppressed, over the per-address limit, refused by the
//                      receiving server); expires_at = processed_at so the purge removes it
//
// The look-up (subscriber, memberships, history) happens exactly once, in the transaction that
// leaves "new". Mailing is at least once: a crash after the mail went out but before it was marked
// means one more mail, whose fresh token replaces the first one's, so a request never has two
// working links.

type RequestRow = Selectable<SubscriptionRequestsTable>;

/** Requests read per query; the job goes on until none is left. */
const BATCH_SIZE = 50;

/** The key of the per-address confirmation-mail limit: the keyed hash, never the address. */
export function confirmationMailLimitKey(hashedEmail: string): string {
  return `subscribe-confirmation:${hashedEmail}`;
}

interface MailToSend {
  request: RequestRow;
  token: string;
}

export interface ProcessRequestsSummary {
  /** Requests looked up for the first time. */
  lookedUp: number;
  /** Confirmation e-mails handed to the mailer. */
  mailed: number;
  /** Requests whose look-up or mail failed for now and wait for the job's retry. */
  failed: number;
}

/**
 * The job `subscriptions.process-requests`: every waiting sign-up request, oldest first. Each is
 * handled on its own, so one address whose mail fails holds up nobody else; if any failed for a
 * reason that may pass (the SMTP server is down), the job throws at the end and its retry mails
 * those again.
 */
export async function processSubscriptionRequests(ctx: AppContext): Promise<ProcessRequestsSummary> {
  const summary: ProcessRequestsSummary = { lookedUp: 0, mailed: 0, failed: 0 };
  let after: { created_at: string; id: string } | undefined;
  for (;;) {
    // Keyset paging: a request that stays waiting (its mail failed) is not read again in this run.
    const batch = await ctx.db
      .selectFrom('subscription_requests')
      .select(['id', 'created_at'])
      .where('processed_at', 'is', null)
      .$if(after !== undefined, (q) =>
        q.where((eb) =>
          eb.or([eb('created_at', '>', after!.created_at), eb.and([eb('created_at', '=', after!.created_at), eb('id', '>', after!.id)])]),
        ),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(BATCH_SIZE)
      .execute();
    if (batch.length === 0) break;
    for (const { id } of batch) {
      let claimed: Awaited<ReturnType<typeof claimRequest>>;
      try {
        claimed = await claimRequest(ctx, id);
      } catch (error) {
        // Rolled back as a whole (say, a concurrent sign-up created the same subscriber first):
        // the request is still new, and the job's retry looks it up again.
        ctx.log.warn({ err: error, requestId: id }, 'sign-up request not processed; it will be retried');
        summary.failed++;
        continue;
      }
      if (claimed.lookedUp) summary.lookedUp++;
      if (!claimed.mail) continue;
      const outcome = await mailConfirmation(ctx, claimed.mail);
      if (outcome === 'sent') summary.mailed++;
      if (outcome === 'retry') summary.failed++;
    }
    after = batch.at(-1);
  }
  if (summary.failed > 0) {
    throw new Error(`${summary.failed} sign-up request(s) could not be processed or mailed now; the job will try them again`);
  }
  return summary;
}

/**
 * Locks the request and moves it on: a new one is looked up; one whose mail failed, or whose
 * sender stalled, gets a fresh token. Returns the mail to send, if any.
 */
async function claimRequest(ctx: AppContext, id: string): Promise<{ lookedUp: boolean; mail: MailToSend | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    // The row lock makes a second runner (a retried lease, the safety-net schedule) wait here and
    // then see the state this transaction leaves. SQLite runs one transaction at a time anyway.
    const request = await trx
      .selectFrom('subscription_requests')
      .selectAll()
      .where('id', '=', id)
      .where('processed_at', 'is', null)
      .$if(ctx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!request) return { lookedUp: false, mail: null };
    if (request.expires_at === null) return { lookedUp: true, mail: await lookUp(ctx, trx, request) };

    if (request.token_hash !== null) {
      const issuedAt = new Date(request.expires_at).getTime() - CONFIRMATION_LINK_TTL_MS;
      // Another runner may be sending it this very moment: leave it unless it has stalled.
      if (ctx.clock.now().getTime() - issuedAt < STALLED_MAIL_AFTER_MS) return { lookedUp: false, mail: null };
    }
    return { lookedUp: false, mail: { request, token: await issueToken(ctx, trx, request.id) } };
  });
}

/** A fresh link for the request; the previous one, if any, stops working. */
async function issueToken(ctx: AppContext, trx: Db, requestId: string): Promise<string> {
  const token = newToken();
  await trx
    .updateTable('subscription_requests')
    .set({ token_hash: hashToken(token), expires_at: iso(addMs(ctx.clock.now(), CONFIRMATION_LINK_TTL_MS)) })
    .where('id', '=', requestId)
    .execute();
  return token;
}

/** Marks a request done with nothing to mail; expired at once, so the purge job removes it. */
async function closeWithoutMail(ctx: AppContext, trx: Db, requestId: string): Promise<null> {
  const now = iso(ctx.clock.now());
  await trx
    .updateTable('subscription_requests')
    .set({ processed_at: now, token_hash: null, expires_at: now })
    .where('id', '=', requestId)
    .execute();
  return null;
}

/**
 * The part that depends on the address, done once per request: the suppression list, the
 * subscriber (created pending if new), its memberships while still pending, the history, and the
 * per-address mail limit. Active, paused and unsubscribed subscribers keep their topics until they
 * confirm: asking is not consenting, and anyone can type anyone's address.
 */
async function lookUp(ctx: AppContext, trx: Db, request: RequestRow): Promise<MailToSend | null> {
  const hashed = emailHash(ctx.config.secret, request.email);
  if (await isBlockedAddress(trx, ctx.config.secret, request.email)) {
    ctx.log.info({ requestId: request.id }, 'sign-up request for a suppressed address: nothing mailed');
    return closeWithoutMail(ctx, trx, request.id);
  }

  const topics = await topicsForRequest(trx, request);
  if (topics.length === 0) {
    // Every topic asked for was deleted (or made private) since: there is nothing to confirm.
    return closeWithoutMail(ctx, trx, request.id);
  }

  const now = iso(ctx.clock.now());
  let subscriber = await trx.selectFrom('subscribers').select(['id', 'status']).where('email', '=', request.email).executeTakeFirst();
  if (!subscriber) {
    subscriber = { id: randomUUID(), status: 'pending' };
    await trx
      .insertInto('subscribers')
      .values({
        id: subscriber.id,
        email: request.email,
        status: 'pending',
        consent_at: request.created_at,
        consent_source: request.source,
        consent_ip_hash: request.ip_hash,
        consent_user_agent: request.user_agent?.slice(0, USER_AGENT_MAX) ?? null,
        confirmed_at: null,
        unsubscribed_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  if (subscriber.status === 'pending') await addMemberships(trx, subscriber.id, topics, now);

  await recordSubscriberEvent(trx, ctx.clock, {
    subscriberId: subscriber.id,
    kind: 'requested',
    actor: request.source === IMPORT_SOURCE ? 'import' : 'subscriber',
    details: { topics: topics.map((topic) => topic.slug), source: request.source },
  });

  const limit = await hitRateLimit(trx, ctx.clock, confirmationMailLimitKey(hashed), CONFIRMATION_MAIL_WINDOW_MS);
  if (limit.hits > CONFIRMATION_MAILS_PER_DAY) {
    ctx.log.info({ requestId: request.id }, 'sign-up request over the per-address confirmation limit: nothing mailed');
    return closeWithoutMail(ctx, trx, request.id);
  }
  return { request, token: await issueToken(ctx, trx, request.id) };
}

/** Adds the topics the subscriber is not yet in, each bulletin as it goes out. */
export async function addMemberships(trx: Db, subscriberId: string, topics: SubscriptionTopic[], now: string): Promise<void> {
  if (topics.length === 0) return;
  await trx
    .insertInto('subscriptions')
    .values(topics.map((topic) => ({ subscriber_id: subscriberId, topic_id: topic.id, frequency: 'every' as const, created_at: now })))
    .onConflict((oc) => oc.columns(['subscriber_id', 'topic_id']).doNothing())
    .execute();
}

/** A 5xx reply: the receiving server refused the address for good, so retrying cannot help. */
function permanentlyRefused(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Sends the confirmation and records the outcome: sent, refused for good, or to be tried again. */
async function mailConfirmation(ctx: AppContext, { request, token }: MailToSend): Promise<'sent' | 'refused' | 'retry'> {
  const tokenHash = hashToken(token);
  // Only while the row still holds this token: a later runner may have replaced it.
  const ours = (trx: Db) =>
    trx
      .updateTable('subscription_requests')
      .where('id', '=', request.id)
      .where('token_hash', '=', tokenHash)
      .where('processed_at', 'is', null);
  try {
    const settings = await getSiteSettings(ctx.db);
    const topics = await topicsForRequest(ctx.db, request);
    const mail = confirmationEmail({
      email: request.email,
      topics,
      link: `${ctx.config.publicUrl}/subscribe/confirm/${token}`,
      settings,
    });
    await ctx.mailer.send({ from: settings.transactionalFrom, to: request.email, ...mail });
  } catch (error) {
    if (permanentlyRefused(error)) {
      ctx.log.warn({ err: error, requestId: request.id }, 'confirmation e-mail refused by the receiving server; not retried');
      const now = iso(ctx.clock.now());
      await ours(ctx.db).set({ processed_at: now, token_hash: null, expires_at: now }).execute();
      return 'refused';
    }
    ctx.log.warn({ err: error, requestId: request.id }, 'confirmation e-mail not sent; it will be retried with a new link');
    // The link in a mail that may never have gone out must not stay valid beside the next one.
    await ours(ctx.db).set({ token_hash: null }).execute();
    return 'retry';
  }
  await ours(ctx.db)
    .set({ processed_at: iso(ctx.clock.now()) })
    .execute();
  return 'sent';
}
