import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  expectAccessible,
  heading,
  launchChromium,
  type RunningApp,
  signIn,
  staffWithSecondFactor,
  startApp,
  submit,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { type Engine, engineAvailable, engines } from '../../../test/support/databases.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { JobRunner } from '../../platform/jobs/index.ts';
import { DeliveryWorker, engineJobHandlers } from '../engine/index.ts';

// The issue's "Done when", in a real browser: a publisher with a second factor opens the demo
// issue, presses "Send as bulletin", previews the e-mail, sends a test to one address (received
// over real SMTP), presses Send, and watches the progress bar reach the end; the sink then holds
// exactly one message per eligible seeded subscriber and none for anyone else. axe (WCAG 2.1 A
// and AA) finds nothing on any page on the way, with or without JavaScript.
//
// DISPATCH_E2E_SUBSCRIBERS sets how many subscribers are seeded (2,000 by default; the issue's
// figure is 100,000). Half of them are eligible; the other half are each ineligible in one way.

const SUBSCRIBERS = Number(process.env.DISPATCH_E2E_SUBSCRIBERS ?? 2000);
const TEST_ADDRESS = 'reviewer@example.gov';
/** The send itself scales with the list: allow about 5 ms a subscriber on top of the usual. */
const SEND_TIMEOUT = BROWSER_TEST_TIMEOUT + SUBSCRIBERS * 5;

/**
 * An SMTP peer that keeps, per message, only its envelope recipients (a million raw messages would
 * not fit in memory), and the whole of any message to the test address.
 */
async function startSink() {
  const recipients: string[] = [];
  const tests: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 100,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const keep = to.includes(TEST_ADDRESS);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (keep) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (keep) tests.push(Buffer.concat(chunks).toString('utf8'));
        else recipients.push(...to);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    recipients,
    tests,
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Seeds `count` subscribers in two set-based statements. By i mod 10: 0–4 active on the Dispatch
 * topic for every bulletin (eligible); 5 Dispatch as a monthly digest; 6 pending (never
 * confirmed); 7 unsubscribed; 8 paused; 9 active on the grants topic only. Returns the eligible addresses.
 */
async function seedSubscribers(ctx: AppContext, count: number): Promise<string[]> {
  const topics = await ctx.db.selectFrom('subscription_topics').select(['id', 'slug']).execute();
  const dispatch = topics.find((t) => t.slug === 'dispatch')!.id;
  const grants = topics.find((t) => t.slug === 'grants')!.id;
  const now = iso(ctx.clock.now());
  // Subscriber ids are UUIDs (the bounce token packs them): number i becomes 00000000-0000-4000-8000-<i, 12 digits>.
  const digits = ctx.dialect === 'postgres' ? sql`lpad(i::text, 12, '0')` : sql`substr('000000000000' || i, -12)`;
  const id = sql`'00000000-0000-4000-8000-' || ${digits}`;
  await sql`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO subscribers (id, email, status, consent_at, consent_source, consent_ip_hash, consent_user_agent,
                             confirmed_at, unsubscribed_at, created_at, updated_at)
    SELECT ${id}, 'reader' || i || '@example.gov',
           CASE i % 10 WHEN 6 THEN 'pending' WHEN 7 THEN 'unsubscribed' WHEN 8 THEN 'paused' ELSE 'active' END,
           ${now}, 'e2e', NULL, NULL,
           CASE i % 10 WHEN 6 THEN NULL ELSE ${now} END,
           CASE i % 10 WHEN 7 THEN ${now} ELSE NULL END,
           ${now}, ${now}
    FROM n`.execute(ctx.db);
  await sql`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO subscriptions (subscriber_id, topic_id, frequency, created_at)
    SELECT ${id},
           CASE i % 10 WHEN 9 THEN ${grants} ELSE ${dispatch} END,
           CASE i % 10 WHEN 5 THEN 'digest' ELSE 'every' END,
           ${now}
    FROM n`.execute(ctx.db);
  const eligible: string[] = [];
  for (let i = 1; i <= count; i++) if (i % 10 < 5) eligible.push(`reader${i}@example.gov`);
  return eligible;
}

for (const engine of engines) {
  describe.skipIf(chromiumMissing || !engineAvailable(engine as Engine))(`sending the demo issue as a bulletin [${engine}]`, () => {
    let running: RunningApp;
    let sink: Awaited<ReturnType<typeof startSink>>;
    let browser: Browser;
    let jobs: JobRunner;
    let worker: DeliveryWorker;
    let eligible: string[];

    beforeAll(async () => {
      sink = await startSink();
      const smtp = `smtp://127.0.0.1:${sink.port}`;
      running = await startApp({
        engine: engine as Engine,
        env: { BULK_SMTP_URL: smtp, SMTP_URL: smtp, DELIVERY_RATE_PER_SECOND: '20000', DELIVERY_CONCURRENCY: '8' },
      });
      const { ctx } = running;
      eligible = await seedSubscribers(ctx, SUBSCRIBERS);
      // What `serve` runs beside the web app: the job that writes a started campaign's ledger, and
      // a delivery worker sending whatever is "sending".
      jobs = new JobRunner({
        db: ctx.db,
        dialect: ctx.dialect,
        clock: ctx.clock,
        log: ctx.log,
        handlers: engineJobHandlers(ctx),
        pollMs: 200,
      });
      jobs.start();
      worker = new DeliveryWorker({ ctx, pollMs: 200 });
      worker.start();
      browser = await launchChromium();
    }, BROWSER_HOOK_TIMEOUT + SUBSCRIBERS);

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
      await jobs?.stop();
      await running?.close();
      await sink?.close();
    }, BROWSER_HOOK_TIMEOUT);

    it(
      'a publisher previews, test-sends and sends the demo issue, and every eligible subscriber gets it once',
      async () => {
        const { ctx, origin } = running;
        const watched = await WatchedContext.open(browser, { viewport: { width: 1280, height: 900 } });
        const page = await watched.newPage();
        const since = { csp: 0, errors: 0 };
        const accessible = async (label: string) => {
          await expectAccessible(watched, page, label, since);
          since.csp = watched.cspViolations.length;
          since.errors = watched.pageErrors.length;
        };
        const go = async (target: Page, path: string) => {
          const response = await target.goto(`${origin}${path}`);
          expect(response?.status(), path).toBe(200);
        };

        const publisher = await staffWithSecondFactor(ctx, 'publisher', 'publisher@example.gov');
        await signIn(page, origin, publisher);

        // The demo issue's admin page, and its "Send as bulletin".
        const issue = await ctx.db
          .selectFrom('publishing_issues')
          .select('id')
          .where('volume', '=', 17)
          .where('number', '=', 1)
          .executeTakeFirstOrThrow();
        await go(page, `/admin/issues/${issue.id}`);
        await accessible('admin issue page');
        expect(await submit(page, page.getByRole('button', { name: 'Send as bulletin' }))).toBe(200);
        const campaignPath = new URL(page.url()).pathname;
        expect(campaignPath).toMatch(/^\/admin\/campaigns\/\d+$/);
        expect(await heading(page)).toBe('Community Policing Dispatch: Volume 17, Issue 1 (January 2024)');
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Draft created.');
        await accessible('new bulletin draft');

        // Preview: the e-mail's own document, and its plain-text part.
        await page.getByRole('link', { name: 'Preview the e-mail' }).click();
        await page.waitForLoadState('load');
        expect(new URL(page.url()).pathname).toBe(`${campaignPath}/preview`);
        expect(await page.locator('body').textContent()).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
        await accessible('e-mail preview');
        const text = await page.request.get(`${origin}${campaignPath}/preview.txt`);
        expect(text.status()).toBe(200);
        expect(await text.text()).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');

        // A test to one address, over real SMTP.
        await go(page, campaignPath);
        await page.getByLabel('Send a test to').fill(TEST_ADDRESS);
        expect(await submit(page, page.getByRole('button', { name: 'Send test' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Test sent.');
        await accessible('test sent');
        expect(sink.tests).toHaveLength(1);
        expect(sink.tests[0]).toMatch(/^Subject: \[Test\] /m);
        expect(sink.recipients).toEqual([]);

        // Send now…: the confirmation names the number of eligible subscribers.
        await page.getByRole('link', { name: 'Send now…' }).click();
        await page.waitForLoadState('load');
        await accessible('send confirmation');
        const sendButton = page.getByRole('button', { name: `Send to ${eligible.length.toLocaleString('en-US')} subscribers` });
        expect(await sendButton.count()).toBe(1);
        expect(await submit(page, sendButton)).toBe(200);
        expect(new URL(page.url()).pathname).toBe(campaignPath);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Sending has started.');

        // With JavaScript the bar follows the send to the end, without reloading the page (a
        // reload would lose the mark set here).
        await page.evaluate(() => document.body.setAttribute('data-loaded-once', 'yes'));
        const bar = page.locator('#progress-bar');
        await page
          .waitForFunction(
            () => {
              const progress = document.querySelector<HTMLProgressElement>('#progress-bar');
              const status = document.querySelector('[data-progress="status"]')?.textContent;
              return progress !== null && progress.max > 1 && progress.value === progress.max && status === 'Sent';
            },
            undefined,
            { timeout: SEND_TIMEOUT - 60_000, polling: 500 },
          )
          .catch(async (error: unknown) => {
            // Say where the send stood, not only that the wait ran out.
            const campaign = await ctx.db.selectFrom('delivery_campaigns').select(['status', 'paused_reason']).executeTakeFirst();
            const shown = await page.locator('#progress-label').textContent();
            throw new Error(`The bar did not reach the end: campaign ${JSON.stringify(campaign)}; the page says ${JSON.stringify(shown)}`, {
              cause: error,
            });
          });
        expect(await page.locator('body').getAttribute('data-loaded-once')).toBe('yes');
        expect(Number(await bar.getAttribute('max'))).toBe(eligible.length);
        expect(await page.locator('#progress-label').textContent()).toBe(
          `${eligible.length.toLocaleString('en-US')} of ${eligible.length.toLocaleString('en-US')} sent (100 % done)`,
        );
        expect(await page.locator('[data-progress="announce"]').textContent()).toContain('Sent');
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Sending has started.');
        await accessible('progress (JavaScript), finished');

        // Exactly one message per eligible subscriber, none for anyone else.
        expect(sink.recipients.length).toBe(eligible.length);
        expect(new Set(sink.recipients).size).toBe(eligible.length);
        expect([...sink.recipients].sort()).toEqual([...eligible].sort());

        await page.getByRole('link', { name: 'Report' }).click();
        await page.waitForLoadState('load');
        expect(await page.getByRole('row', { name: /^Sent / }).textContent()).toContain(eligible.length.toLocaleString('en-US'));
        await accessible('report');
        await go(page, '/admin/campaigns');
        expect(await page.getByRole('row', { name: /Community Policing Dispatch: Volume 17/ }).textContent()).toContain(
          `${eligible.length.toLocaleString('en-US')} of ${eligible.length.toLocaleString('en-US')} sent`,
        );
        await accessible('campaign list');

        // Without JavaScript: the same page, correct as loaded, with a link that reloads it.
        const cookies = await watched.context.cookies();
        const noScript = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
        await noScript.addCookies(cookies);
        const plain = await noScript.newPage();
        await go(plain, campaignPath);
        expect(await plain.locator('#progress-label').textContent()).toContain('(100 % done)');
        await plain.getByRole('link', { name: 'Refresh progress' }).click();
        await plain.waitForLoadState('load');
        expect(new URL(plain.url()).pathname).toBe(campaignPath);
        expect(await plain.locator('[data-progress="status"]').textContent()).toBe('Sent');
        await noScript.close();
        // axe runs as a script, so the no-JavaScript page is checked with every script of the
        // site refused instead: the same document, nothing of ours run.
        const scriptless = await WatchedContext.open(browser, { viewport: { width: 1280, height: 900 } });
        await scriptless.context.addCookies(cookies);
        await scriptless.context.route(/\.js(\?|$)/, (route) => route.abort());
        const blocked = await scriptless.newPage();
        await go(blocked, campaignPath);
        expect(await blocked.locator('#progress-label').textContent()).toContain('(100 % done)');
        await expectAccessible(scriptless, blocked, 'progress without JavaScript', { csp: 0, errors: 0 });
        await scriptless.close();

        expect(watched.consoleErrors).toEqual([]);
        await watched.close();
      },
      SEND_TIMEOUT,
    );
  });
}
