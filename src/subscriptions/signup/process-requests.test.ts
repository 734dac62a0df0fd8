import { expect, it } from 'vitest';
import { Browser } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { createJobRunner } from '../../jobs.ts';
import { hashToken } from '../../platform/auth/tokens.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Mailer, OutgoingMail } from '../../platform/mail/mailer.ts';
import { emailHash } from '../keys.ts';
import { confirmationMailLimitKey, processSubscriptionRequests } from './process-subscription-requests.ts';
import { CONFIRMATION_LINK_TTL_MS, CONFIRMATION_MAILS_PER_DAY, STALLED_MAIL_AFTER_MS } from './signup-rules.ts';
import {
  appOnFixedClock,
  confirmationMails,
  latestConfirmationPath,
  processRequests,
  seedSubscriber,
  signUp,
  subscriberState,
  suppress,
  topicId,
} from './test-support.ts';

const HOUR = 60 * 60 * 1000;

/** A mailer that fails the way a down SMTP server does, or refuses for good (5xx), counting calls. */
function failingMailer(kind: 'temporary' | 'permanent', deliverFirst?: Mailer): Mailer & { calls: OutgoingMail[] } {
  const calls: OutgoingMail[] = [];
  return {
    kind: 'smtp',
    calls,
    async send(mail) {
      calls.push(mail);
      // "Delivered, but the process died before it could say so": the mail exists, the send throws.
      if (deliverFirst) await deliverFirst.send(mail);
      const error = Object.assign(new Error(kind === 'temporary' ? 'connect ECONNREFUSED' : '550 no such user'), {
        responseCode: kind === 'temporary' ? undefined : 550,
      });
      throw error;
    },
    async close() {},
  };
}

async function requests(ctx: AppContext) {
  return ctx.db.selectFrom('subscription_requests').selectAll().orderBy('created_at').execute();
}

describeEachDatabase('the job that processes sign-up requests', ({ handle }) => {
  const start = appOnFixedClock(handle);

  it('creates a pending subscriber for a new address, and for one that was deleted ("delete me")', async () => {
    const { app, ctx } = await start();
    await suppress(ctx, 'gone@example.gov', 'deleted');
    await signUp(app, ctx, 'new@example.gov');
    await signUp(app, ctx, 'gone@example.gov');
    await processRequests(ctx);
    for (const email of ['new@example.gov', 'gone@example.gov']) {
      expect(await subscriberState(ctx, email)).toMatchObject({ status: 'pending', topics: ['dispatch'] });
      expect(await confirmationMails(ctx, email)).toHaveLength(1);
    }
    // The suppression row stays until the person confirms.
    expect(await ctx.db.selectFrom('subscriber_suppressions').select('reason').execute()).toEqual([{ reason: 'deleted' }]);
  });

  it('adds topics to a pending subscriber but leaves active, paused and unsubscribed ones alone until they confirm', async () => {
    const { app, ctx } = await start();
    const events = await topicId(ctx, 'events');
    for (const status of ['pending', 'active', 'paused', 'unsubscribed'] as const) {
      await seedSubscriber(ctx, `${status}@example.gov`, status, ['dispatch']);
      await signUp(app, ctx, `${status}@example.gov`, [events]);
    }
    await processRequests(ctx);
    for (const status of ['pending', 'active', 'paused', 'unsubscribed'] as const) {
      const state = await subscriberState(ctx, `${status}@example.gov`);
      expect(state?.status, status).toBe(status);
      expect(state?.topics, status).toEqual(status === 'pending' ? ['dispatch', 'events'] : ['dispatch']);
      expect(state?.events, status).toEqual([
        { kind: 'requested', actor: 'subscriber', details: { topics: ['events'], source: 'subscribe-page' } },
      ]);
      expect(await confirmationMails(ctx, `${status}@example.gov`), status).toHaveLength(1);
    }
  });

  it('mails nothing to hard-bounced, complained or manually suppressed addresses, and creates no subscriber', async () => {
    const { app, ctx } = await start();
    for (const reason of ['hard_bounce', 'complaint', 'manual'] as const) {
      await suppress(ctx, `${reason}@example.gov`, reason);
      await signUp(app, ctx, `${reason}@example.gov`);
    }
    await processRequests(ctx);
    expect(await ctx.db.selectFrom('subscribers').selectAll().execute()).toEqual([]);
    expect(await confirmationMails(ctx)).toEqual([]);
    for (const request of await requests(ctx)) {
      expect(request).toMatchObject({ processed_at: ctx.clock.now().toISOString(), token_hash: null, expires_at: request.processed_at });
    }
  });

  it('mails an address at most 3 times in 24 hours, counting under its keyed hash', async () => {
    const { app, ctx, clock } = await start();
    for (let i = 0; i < CONFIRMATION_MAILS_PER_DAY + 2; i++) await signUp(app, ctx, 'pat@example.gov');
    await processRequests(ctx);
    expect(await confirmationMails(ctx)).toHaveLength(CONFIRMATION_MAILS_PER_DAY);
    // Every request was looked up once, and the extra ones closed without a link.
    expect((await subscriberState(ctx, 'pat@example.gov'))?.events).toHaveLength(CONFIRMATION_MAILS_PER_DAY + 2);
    const states = (await requests(ctx)).map((r) => (r.token_hash ? 'link' : 'none'));
    expect(states.filter((s) => s === 'link')).toHaveLength(CONFIRMATION_MAILS_PER_DAY);
    const keys = (await ctx.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    expect(keys).toContain(confirmationMailLimitKey(emailHash(ctx.config.secret, 'pat@example.gov')));
    expect(keys.join(' ')).not.toContain('pat@example.gov');

    clock.advance(24 * HOUR);
    await signUp(app, ctx, 'pat@example.gov');
    await processRequests(ctx);
    expect(await confirmationMails(ctx)).toHaveLength(CONFIRMATION_MAILS_PER_DAY + 1);
  });

  it('processes each request once: running again (or twice at the same time) mails nobody twice', async () => {
    const { app, ctx } = await start();
    for (let i = 0; i < 7; i++) await signUp(app, ctx, `person${i}@example.gov`);
    const [first, second] = await Promise.all([processSubscriptionRequests(ctx), processSubscriptionRequests(ctx)]);
    expect((first?.lookedUp ?? 0) + (second?.lookedUp ?? 0)).toBe(7);
    expect((first?.mailed ?? 0) + (second?.mailed ?? 0)).toBe(7);
    expect(await processRequests(ctx)).toEqual({ lookedUp: 0, mailed: 0, failed: 0 });
    expect(await confirmationMails(ctx)).toHaveLength(7);
    const events = await ctx.db.selectFrom('subscriber_events').select('kind').execute();
    expect(events).toHaveLength(7);
    expect((await requests(ctx)).every((r) => r.processed_at !== null && r.token_hash !== null)).toBe(true);
  });

  it('keeps going in batches until no request is left', async () => {
    const { ctx } = await start();
    const dispatch = await topicId(ctx, 'dispatch');
    const now = iso(ctx.clock.now());
    await ctx.db
      .insertInto('subscription_requests')
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          email: `bulk${i}@example.gov`,
          topic_ids: JSON.stringify([dispatch]),
          source: 'subscribe-page',
          ip_hash: null,
          user_agent: null,
          created_at: now,
          processed_at: null,
          token_hash: null,
          expires_at: null,
        })),
      )
      .execute();
    expect(await processRequests(ctx)).toEqual({ lookedUp: 120, mailed: 120, failed: 0 });
  });

  it('when the mail fails the job fails; its retry mails a new link and the lookup is not repeated', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'pat@example.gov');
    const down = failingMailer('temporary');
    await expect(processSubscriptionRequests({ ...ctx, mailer: down })).rejects.toThrow(/will try them again/);
    expect(down.calls).toHaveLength(1);
    const [failed] = await requests(ctx);
    // Looked up (subscriber and history written once), no working link, waiting for the retry.
    expect(failed).toMatchObject({ processed_at: null, token_hash: null });
    expect(failed?.expires_at).not.toBeNull();
    expect((await subscriberState(ctx, 'pat@example.gov'))?.events).toHaveLength(1);

    expect(await processRequests(ctx)).toEqual({ lookedUp: 0, mailed: 1, failed: 0 });
    const [mail] = await confirmationMails(ctx);
    const [done] = await requests(ctx);
    expect(done?.token_hash).toBe(hashToken(mail?.token ?? ''));
    expect(done?.processed_at).not.toBeNull();
    expect((await subscriberState(ctx, 'pat@example.gov'))?.events).toHaveLength(1);
  });

  it('a mail that went out before the send failed is superseded: its link stops working, the new one works', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'pat@example.gov');
    await expect(processSubscriptionRequests({ ...ctx, mailer: failingMailer('temporary', ctx.mailer) })).rejects.toThrow();
    await processRequests(ctx);
    const mails = await confirmationMails(ctx, 'pat@example.gov');
    expect(mails).toHaveLength(2);
    expect(mails[0]?.token).not.toBe(mails[1]?.token);
    const browser = new Browser(app);
    expect((await browser.get(`/subscribe/confirm/${mails[0]?.token}`)).statusCode).toBe(404);
    expect((await browser.get(`/subscribe/confirm/${mails[1]?.token}`)).statusCode).toBe(200);
    // One request row, with exactly one token.
    expect(await requests(ctx)).toHaveLength(1);
  });

  it('a request whose sender stalled is mailed again with a fresh link once the stall is evident', async () => {
    const { app, ctx, clock } = await start();
    await signUp(app, ctx, 'pat@example.gov');
    // Leave the request as a sender that died mid-send would: looked up, token issued, nothing marked.
    const stalledToken = 'a'.repeat(43);
    await processRequests(ctx);
    await ctx.db
      .updateTable('subscription_requests')
      .set({
        processed_at: null,
        token_hash: hashToken(stalledToken),
        expires_at: iso(new Date(clock.now().getTime() + CONFIRMATION_LINK_TTL_MS)),
      })
      .execute();
    // Someone may still be sending it: left alone for now.
    expect(await processRequests(ctx)).toEqual({ lookedUp: 0, mailed: 0, failed: 0 });
    clock.advance(STALLED_MAIL_AFTER_MS);
    expect(await processRequests(ctx)).toEqual({ lookedUp: 0, mailed: 1, failed: 0 });
    const [request] = await requests(ctx);
    expect(request?.token_hash).not.toBe(hashToken(stalledToken));
    expect(request?.processed_at).not.toBeNull();
    expect((await subscriberState(ctx, 'pat@example.gov'))?.events).toHaveLength(1);
  });

  it('an address the receiving server refuses for good is closed without a link, and the job succeeds', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'nobody@example.gov');
    const refusing = failingMailer('permanent');
    expect(await processSubscriptionRequests({ ...ctx, mailer: refusing })).toEqual({ lookedUp: 1, mailed: 0, failed: 0 });
    const [request] = await requests(ctx);
    expect(request).toMatchObject({ token_hash: null });
    expect(request?.processed_at).not.toBeNull();
    expect(request?.expires_at).toBe(request?.processed_at);
  });

  it('handles rows from the import: a pending subscriber with a private topic is asked to confirm it', async () => {
    const { ctx } = await start();
    const subscriberId = await seedSubscriber(ctx, 'partner@example.gov', 'pending', ['editorial-partners']);
    await ctx.db
      .insertInto('subscription_requests')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        email: 'partner@example.gov',
        topic_ids: JSON.stringify([await topicId(ctx, 'editorial-partners'), await topicId(ctx, 'dispatch')]),
        source: 'import',
        ip_hash: null,
        user_agent: null,
        created_at: iso(ctx.clock.now()),
        processed_at: null,
        token_hash: null,
        expires_at: null,
      })
      .execute();
    await processRequests(ctx);
    const state = await subscriberState(ctx, 'partner@example.gov');
    expect(state).toMatchObject({ id: subscriberId, status: 'pending', topics: ['dispatch', 'editorial-partners'] });
    expect(state?.events).toEqual([
      { kind: 'requested', actor: 'import', details: { topics: ['dispatch', 'editorial-partners'], source: 'import' } },
    ]);
    const [mail] = await confirmationMails(ctx, 'partner@example.gov');
    expect(mail?.text).toContain('Editorial partners (internal)');
    const path = await latestConfirmationPath(ctx, 'partner@example.gov');
    expect(path).toMatch(/^\/subscribe\/confirm\/[A-Za-z0-9_-]{43}$/);
  });

  it('runs from the queue: POST /subscribe queues one job that the runner picks up', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'a@example.gov');
    await signUp(app, ctx, 'b@example.gov');
    // Two requests, one live job (the unique key).
    expect(await ctx.db.selectFrom('jobs').select('name').where('status', '=', 'queued').execute()).toEqual([
      { name: 'subscriptions.process-requests' },
    ]);
    const runner = await createJobRunner(ctx);
    expect(await runner.runOnce()).toBe(1);
    expect(await confirmationMails(ctx)).toHaveLength(2);
    expect(await ctx.db.selectFrom('jobs').select(['name', 'status']).execute()).toEqual([
      { name: 'subscriptions.process-requests', status: 'done' },
    ]);
  });
});
