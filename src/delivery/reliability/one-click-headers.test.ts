import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createStaff, createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startSmtpServer } from '../../../test/support/smtp-server.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import type { AppContext } from '../../platform/context.ts';
import { JobRunner } from '../../platform/jobs/index.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { stillEligible } from '../../subscriptions/audience.ts';
import { verifySubscriberLink } from '../../subscriptions/keys.ts';
import { pathOf, seedSubscriber, subscriberState } from '../../subscriptions/preferences/test-support.ts';
import { readDeliveryToken } from '../bounces/delivery-token.ts';
import { campaignAudience } from '../campaigns/campaign-queries.ts';
import { createCampaign } from '../campaigns/create-campaign.ts';
import { DeliveryWorker, engineJobHandlers, readProgress, startCampaign } from '../engine/index.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';

// Reliability test 6 (issue 5): a bulletin sent through the whole engine to a real SMTP peer;
// every message parsed back carries what mailbox providers and the law ask of subscription mail,
// and the one-click unsubscribe it advertises works as RFC 8058 says: a POST of
// "List-Unsubscribe=One-Click" (no cookie, no CSRF token) unsubscribes, a GET (a link scanner, a
// prefetch) changes nothing.

const PUBLIC_URL = 'https://dispatch.example.gov';
const BULLETIN_FROM = 'Community Policing Dispatch <dispatch@example.gov>';
const TRANSACTIONAL_FROM = 'Dispatch accounts <no-reply@example.gov>';
const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** A header's value as sent (folding undone), or undefined; mailparser's own parse of List-* headers drops detail. */
function header(mail: ParsedMail, name: string): string | undefined {
  const lines = mail.headerLines.filter((h) => h.key === name.toLowerCase());
  if (lines.length > 1) throw new Error(`${name} appears ${lines.length} times`);
  const line = lines[0]?.line;
  return line === undefined
    ? undefined
    : line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
}

const addressOf = (mail: ParsedMail) => (Array.isArray(mail.from) ? mail.from[0] : mail.from)?.value[0]?.address;

/** Runs the job Send queued (the one that compiles the message and writes the ledger). */
async function runEngineJobs(ctx: AppContext): Promise<void> {
  const runner = new JobRunner({ db: ctx.db, dialect: ctx.dialect, clock: ctx.clock, log: ctx.log, handlers: engineJobHandlers(ctx) });
  while ((await runner.runOnce()) > 0);
}

describeEachDatabase('reliability 6: every bulletin carries the one-click headers', ({ handle }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  it('parses every message back from the SMTP peer with its headers, and only the one-click POST unsubscribes', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const { app, ctx } = await createTestApp(handle(), {
      env: { PUBLIC_URL, BULK_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, DELIVERY_RATE_PER_SECOND: '1000' },
    });
    cleanups.push(async () => {
      await app.close();
      await ctx.mailer.close();
    });
    await saveSiteSettings(ctx.db, ctx.clock, {
      ...defaultSiteSettings,
      bulletinFrom: BULLETIN_FROM,
      transactionalFrom: TRANSACTIONAL_FROM,
    });

    const recipients = new Map<string, string>();
    for (const [email, topics] of [
      ['pat@example.org', ['dispatch']],
      ['sam.lee@county.example.gov', ['dispatch', 'events']],
      ['chris+news@example.com', ['dispatch', 'grants']],
    ] as const) {
      recipients.set(email, await seedSubscriber(ctx, { email, topics: [...topics] }));
    }
    // Not the audience: unsubscribed, unconfirmed, and on the monthly digest.
    await seedSubscriber(ctx, { email: 'gone@example.org', status: 'unsubscribed', topics: ['dispatch'] });
    await seedSubscriber(ctx, { email: 'pending@example.org', status: 'pending', topics: ['dispatch'] });
    await seedSubscriber(ctx, { email: 'monthly@example.org', topics: ['dispatch'], frequency: 'digest' });

    const publisher = await createStaff(ctx, 'publisher');
    const actor = { userId: publisher.userId, email: publisher.email };
    const campaignId = await createCampaign(ctx, { kind: 'bulletin', source: 'issue:demo-issue-2024-01', actor });
    await startCampaign(ctx, { campaignId, actor });
    await runEngineJobs(ctx);
    const worker = new DeliveryWorker({ ctx });
    await worker.runUntilIdle(campaignId);
    await worker.stop();

    const progress = await readProgress(ctx, campaignId);
    expect(progress).toMatchObject({ status: 'finished', finished: true, recipients: 3, sent: 3, failed: 0, skipped: 0 });
    expect(smtp.received.flatMap((m) => m.rcpt).sort()).toEqual([...recipients.keys()].sort());

    const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    const dispatch = await ctx.db.selectFrom('subscription_topics').select('id').where('slug', '=', 'dispatch').executeTakeFirstOrThrow();
    // A second renderer, as another worker or a restart would build it: same Message-ID per delivery.
    const again = await prepareMessages(ctx, campaign);
    const messageIds = new Set<string>();
    let oneClickUrl = '';

    for (const received of smtp.received) {
      const to = received.rcpt[0] as string;
      const subscriberId = recipients.get(to) as string;
      const mail = await simpleParser(received.raw);

      // RFC 2369 / RFC 8058: an https link to this subscriber's signed unsubscribe address, and the one-click marker.
      const listUnsubscribe = header(mail, 'List-Unsubscribe');
      const url = /^<(https:\/\/[^>]+)>$/.exec(listUnsubscribe ?? '')?.[1];
      expect(url, `List-Unsubscribe of ${to}: ${listUnsubscribe}`).toBeDefined();
      expect(url?.startsWith(`${ctx.config.publicUrl}/unsubscribe/`)).toBe(true);
      const token = url?.slice(`${ctx.config.publicUrl}/unsubscribe/`.length);
      expect(verifySubscriberLink(ctx.config.secret, 'unsubscribe', token)).toEqual({ subscriberId, topicId: dispatch.id });
      expect(header(mail, 'List-Unsubscribe-Post')).toBe(ONE_CLICK);

      // RFC 2919 List-Id of the topic the recipient qualified through; Gmail's Feedback-ID (campaign:topic:kind:sender).
      expect(header(mail, 'List-Id')).toMatch(/^"?Community Policing Dispatch"? <dispatch\.example\.gov>$/);
      expect(header(mail, 'Feedback-ID')).toBe(`${campaignId}:dispatch:bulletin:dispatch`);

      // The bulletin sender, which is not the transactional one.
      expect(addressOf(mail)).toBe('dispatch@example.gov');
      expect(addressOf(mail)).not.toBe('no-reply@example.gov');
      expect(mail.subject).toBe(campaign.subject);

      // VERP: the envelope sender names this very delivery, so a bounce to it maps back without a lookup.
      const verp = /^bounces\+([a-z2-7]+)@example\.gov$/.exec(received.from || '');
      expect(verp, `envelope sender ${received.from}`).not.toBeNull();
      expect(readDeliveryToken(ctx.config.secret, verp?.[1] ?? '')).toEqual({ campaignId, subscriberId });

      // Deterministic Message-ID: the same for a re-render of this delivery, different for every recipient.
      const rerendered = again.render({ subscriberId, email: to, topicId: dispatch.id });
      expect(mail.messageId).toBe(`<${rerendered.messageId}>`);
      expect(rerendered.raw).toContain(`Message-ID: <${rerendered.messageId}>\r\n`);
      messageIds.add(rerendered.messageId);

      // CAN-SPAM: the postal address and a visible unsubscribe link, in both parts.
      const text = mail.text ?? '';
      const html = typeof mail.html === 'string' ? mail.html : '';
      for (const line of [
        defaultSiteSettings.agencyName,
        defaultSiteSettings.officeName,
        defaultSiteSettings.streetAddress,
        defaultSiteSettings.cityStateZip,
      ]) {
        expect(text, `plain text of ${to}`).toContain(line);
        expect(html, `HTML of ${to}`).toContain(line);
      }
      expect(text).toMatch(new RegExp(`Unsubscribe: ${escapeRegExp(url ?? '')}(\\s|$)`));
      expect(html).toMatch(new RegExp(`<a href="${escapeRegExp(url ?? '')}"[^>]*>Unsubscribe</a>`));
      if (to === 'pat@example.org') oneClickUrl = url ?? '';
    }
    expect(messageIds.size).toBe(3);

    // A GET of the List-Unsubscribe address (what a link checker or a preview does) changes nothing.
    const path = pathOf(oneClickUrl);
    const before = await subscriberState(ctx);
    const page = await app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(await subscriberState(ctx)).toEqual(before);
    const pat = recipients.get('pat@example.org') as string;
    expect((await stillEligible(ctx.db, campaignAudience(campaign), [pat])).has(pat)).toBe(true);

    // The RFC 8058 POST, as a mailbox provider sends it: the one pair, form-encoded, no cookie, no CSRF token.
    const posted = await app.inject({
      method: 'POST',
      url: path,
      payload: ONE_CLICK,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.statusCode).toBe(200);
    const after = await ctx.db.selectFrom('subscribers').select('status').where('id', '=', pat).executeTakeFirstOrThrow();
    // Pat's only topic was the Dispatch, so leaving it leaves everything.
    expect(after.status).toBe('unsubscribed');
    expect((await stillEligible(ctx.db, campaignAudience(campaign), [pat])).size).toBe(0);
  });
});

describe('reliability 6: the List-Unsubscribe link in production', () => {
  it('is https: production refuses a public URL that is not', () => {
    const production = { NODE_ENV: 'production', DISPATCH_SECRET: 'p'.repeat(40) };
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'http://dispatch.example.gov' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'http://dispatch.example.gov' })).toThrow(/PUBLIC_URL: must be https/);
    expect(loadConfig({ ...production, PUBLIC_URL: PUBLIC_URL }).publicUrl).toBe(PUBLIC_URL);
  });
});

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
