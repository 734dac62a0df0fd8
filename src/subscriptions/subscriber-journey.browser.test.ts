import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  expectAccessible,
  heading,
  launchChromium,
  type RunningApp,
  setChecked,
  startApp,
  submit,
  WatchedContext,
} from '../../test/browser/harness.ts';
import { engineAvailable, engines } from '../../test/support/databases.ts';
import { type ReceivedMail, startSmtpServer } from '../../test/support/smtp-server.ts';
import { createJobRunner } from '../jobs.ts';
import type { JobRunner } from '../platform/jobs/index.ts';
import { subscriberLinks } from './keys.ts';

// Issue 4's "done when": a person subscribes, confirms, manages and leaves with nothing but their
// e-mail address, in a real browser, with the mail going over a real SMTP conversation to a local
// server, on each database engine. The job runner runs as it does under `npm start`.

const READER = 'Reader.Journey@Example.gov';
const READER_NORMALISED = 'reader.journey@example.gov';

/** Waits until the SMTP server has received a message to `to` whose text matches `pattern`. */
async function waitForMail(received: ReceivedMail[], to: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const mail of received) {
      if (!mail.rcpt.includes(to)) continue;
      const parsed = await simpleParser(mail.raw);
      const match = pattern.exec(parsed.text ?? '');
      if (match) return match[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No mail to ${to} matching ${pattern} within ${timeoutMs} ms (received ${received.length})`);
}

for (const engine of engines) {
  describe.skipIf(chromiumMissing || !engineAvailable(engine))(
    `a subscriber's whole journey in Chromium over real SMTP (${engine})`,
    () => {
      let running: RunningApp;
      let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
      let runner: JobRunner;
      let browser: Browser;
      let reader: WatchedContext;

      beforeAll(async () => {
        smtp = await startSmtpServer();
        running = await startApp({ engine, env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
        runner = await createJobRunner(running.ctx);
        runner.start();
        browser = await launchChromium();
        reader = await WatchedContext.open(browser);
      }, BROWSER_HOOK_TIMEOUT);

      afterAll(async () => {
        await reader?.close();
        await browser?.close();
        await runner?.stop();
        await running?.ctx.mailer.close();
        await running?.close();
        await smtp?.close();
      }, BROWSER_HOOK_TIMEOUT);

      it(
        'subscribes from the box, confirms, manages preferences by e-mail and leaves with one click',
        async () => {
          const { origin, ctx } = running;
          const page = await reader.newPage();
          const since = () => ({ csp: reader.cspViolations.length, errors: reader.pageErrors.length });
          let mark = since();

          // 1. The box on the home page leads to the topic choice with the address filled in.
          await page.goto(`${origin}/`);
          const box = page.locator('form[action="/subscribe"]').first();
          await box.getByLabel('Email address').fill(READER);
          await box.getByRole('button', { name: 'Subscribe' }).click();
          await page.waitForLoadState('load');
          expect(await heading(page)).toBe('Subscribe to Email Updates');
          expect(await page.getByLabel('Email address').inputValue()).toBe(READER);
          await expectAccessible(reader, page, 'subscribe page', mark);

          await setChecked(page.getByLabel('School safety'));
          expect(await submit(page, page.getByRole('button', { name: 'Subscribe' }))).toBe(200);
          expect(await heading(page)).toBe('Check your email');
          mark = since();
          await expectAccessible(reader, page, 'check your email', mark);

          // 2. The confirmation arrives over SMTP; opening it changes nothing until the button is pressed.
          const confirmLink = await waitForMail(
            smtp.received,
            READER_NORMALISED,
            new RegExp(`${origin}/subscribe/confirm/[A-Za-z0-9_-]{43}`),
          );
          await page.goto(confirmLink);
          expect(await heading(page)).toBe('Confirm your subscription');
          const pending = await ctx.db
            .selectFrom('subscribers')
            .select(['id', 'status'])
            .where('email', '=', READER_NORMALISED)
            .executeTakeFirstOrThrow();
          expect(pending.status).toBe('pending');
          await expectAccessible(reader, page, 'confirm page', since());
          expect(await submit(page, page.getByRole('button', { name: 'Confirm subscription' }))).toBe(200);
          expect(await heading(page)).toBe("You're subscribed");
          await expectAccessible(reader, page, 'subscribed page', since());
          const topicsOf = async () =>
            (
              await ctx.db
                .selectFrom('subscriptions')
                .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
                .select(['subscription_topics.slug', 'subscriptions.frequency'])
                .where('subscriptions.subscriber_id', '=', pending.id)
                .orderBy('subscription_topics.slug')
                .execute()
            ).map((r) => `${r.slug}:${r.frequency}`);
          expect(await topicsOf()).toEqual(['dispatch:every', 'school-safety:every']);
          const active = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
          expect(active.status).toBe('active');
          expect(active.consent_ip_hash).toMatch(/^[0-9a-f]{16,}$/);
          expect(active.consent_user_agent).toContain('Chrome');

          // 3. Later, with nothing but the address: a sign-in link by e-mail opens the preferences.
          await page.goto(`${origin}/preferences`);
          expect(await heading(page)).toBe('Manage your subscription');
          await page.getByLabel('Email address').fill(READER);
          expect(await submit(page, page.getByRole('button', { name: 'Email me a link' }))).toBe(200);
          expect(await heading(page)).toBe('Check your email');
          const signInLink = await waitForMail(
            smtp.received,
            READER_NORMALISED,
            new RegExp(`${origin}/preferences/sign-in/[A-Za-z0-9_-]{43}`),
          );
          await page.goto(signInLink);
          await expectAccessible(reader, page, 'preferences sign-in', since());
          expect(await submit(page, page.getByRole('button', { name: 'Continue' }))).toBe(200);
          expect(await heading(page)).toBe('Your subscription');
          await expectAccessible(reader, page, 'preferences page', since());

          // Leave school safety, take the Dispatch as the monthly digest, add events.
          await setChecked(page.getByLabel('School safety'), false);
          await setChecked(page.getByLabel('Events and X chats'));
          const dispatchTopic = await ctx.db
            .selectFrom('subscription_topics')
            .select('id')
            .where('slug', '=', 'dispatch')
            .executeTakeFirstOrThrow();
          await setChecked(page.locator(`input[name="frequency-${dispatchTopic.id}"][value="digest"]`));
          expect(await submit(page, page.getByRole('button', { name: 'Save preferences' }))).toBe(200);
          expect(await heading(page)).toBe('Your subscription');
          await expectAccessible(reader, page, 'preferences saved', since());
          expect(await topicsOf()).toEqual(['dispatch:digest', 'events:every']);

          // The sign-in link was single use.
          await page.goto(signInLink);
          expect(await heading(page)).toBe('This link is not valid');

          // 4. One-click unsubscribe as a mail provider sends it (RFC 8058): no cookie, no CSRF token.
          const { unsubscribeUrl } = subscriberLinks(ctx.config, { subscriberId: pending.id });
          const oneClick = await fetch(unsubscribeUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'List-Unsubscribe=One-Click',
          });
          expect(oneClick.status).toBe(200);
          const left = await ctx.db
            .selectFrom('subscribers')
            .select(['status', 'unsubscribed_at'])
            .where('id', '=', pending.id)
            .executeTakeFirstOrThrow();
          expect(left.status).toBe('unsubscribed');
          expect(left.unsubscribed_at).not.toBeNull();

          // The page behind the same link still answers, now saying what happened, and passes axe.
          await page.goto(unsubscribeUrl);
          expect(await heading(page)).toBe('Unsubscribe');
          await expectAccessible(reader, page, 'unsubscribe page', since());
          await page.close();
        },
        BROWSER_TEST_TIMEOUT,
      );
    },
  );
}
