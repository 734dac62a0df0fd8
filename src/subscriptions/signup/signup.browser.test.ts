import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  check,
  chromiumMissing,
  heading,
  launchChromium,
  open as openPage,
  type RunningApp,
  setChecked,
  startApp,
  submit,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { processSubscriptionRequests } from './process-subscription-requests.ts';
import { confirmationMails } from './test-support.ts';

/** The subscribe box of the page (there is exactly one). */
function subscribeBox(page: Page): Locator {
  return page.locator('section.publishing-subscribe');
}

describe.skipIf(chromiumMissing)('sign-up in a real browser: axe (WCAG 2.1 A and AA) on every page and state, no JavaScript', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let reader: WatchedContext;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    browser = await launchChromium();
    reader = await WatchedContext.open(browser);
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);
  const t = BROWSER_TEST_TIMEOUT;

  /** Each public page has exactly one box, with its heading, one labelled field, the button and the link. */
  async function checkBoxOn(path: string) {
    await check(reader, path, async (page) => {
      await open(page, path);
      expect(await subscribeBox(page).count(), path).toBe(1);
      const box = subscribeBox(page);
      expect(await box.getByRole('heading', { name: 'Subscribe to Email Updates' }).count(), path).toBe(1);
      expect(await box.getByLabel('Email address').getAttribute('name'), path).toBe('email');
      expect(await box.getByRole('button', { name: 'Subscribe' }).count(), path).toBe(1);
      expect(await box.getByRole('link', { name: 'Manage your subscriber preferences' }).getAttribute('href'), path).toBe('/preferences');
    });
  }

  it(
    'the reading pages carry one box each',
    async () => {
      const article = await running.ctx.db
        .selectFrom('publishing_articles')
        .select('slug')
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      for (const path of ['/', `/articles/${article.slug}`, '/issues', '/topics']) await checkBoxOn(path);
    },
    t,
  );

  it(
    'the listing, search and contact pages carry one box each',
    async () => {
      for (const path of ['/events', '/resources', '/search?q=school', '/contact']) await checkBoxOn(path);
    },
    t,
  );

  it(
    'the box leads to /subscribe with the address filled in; the form as it first shows',
    () =>
      check(reader, '/subscribe (from the box)', async (page) => {
        await open(page, '/');
        await subscribeBox(page).getByLabel('Email address').fill('box.reader@example.gov');
        expect(await submit(page, subscribeBox(page).getByRole('button', { name: 'Subscribe' }))).toBe(200);
        expect(new URL(page.url()).pathname).toBe('/subscribe');
        expect(await heading(page)).toBe('Subscribe to Email Updates');
        expect(await page.getByLabel('Email address').inputValue()).toBe('box.reader@example.gov');
        expect(await page.getByLabel('Community Policing Dispatch').isChecked()).toBe(true);
        expect(await page.getByLabel('Grants and funding').isChecked()).toBe(false);
        expect(await page.getByRole('group', { name: 'Topics' }).count()).toBe(1);
        // The public never sees a private topic.
        expect(await page.getByText('Editorial partners').count()).toBe(0);
      }),
    t,
  );

  it(
    'the form with errors (400): a summary whose links lead to the fields, and what was typed kept',
    () =>
      check(reader, '/subscribe (errors)', async (page) => {
        await open(page, '/subscribe');
        // Post what the browser's own validation would stop, as a browser without it would.
        await page.evaluate(() => {
          for (const form of document.querySelectorAll('form')) form.noValidate = true;
        });
        await page.getByLabel('Email address').fill('jürgen@example.gov');
        await setChecked(page.getByLabel('Community Policing Dispatch'), false);
        expect(await submit(page, page.getByRole('button', { name: 'Subscribe', exact: true }))).toBe(400);
        const problems = await page.locator('#error-summary li').allTextContents();
        expect(problems).toHaveLength(2);
        expect(problems[0]).toContain('The part before the @ can only use letters A–Z');
        expect(problems[1]).toBe('Choose at least one topic.');
        expect(await page.getByLabel('Email address').inputValue()).toBe('jürgen@example.gov');
        // The summary's links lead to the fields.
        await page.locator('#error-summary a', { hasText: 'Choose at least one topic.' }).click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-topics');
      }),
    t,
  );

  it(
    'check your email, the confirmation page, the subscribed page and an invalid link',
    async () => {
      await check(reader, '/subscribe → check your email', async (page) => {
        await open(page, '/subscribe');
        await page.getByLabel('Email address').fill('reader@example.gov');
        await setChecked(page.getByLabel('Events and X chats'), true);
        expect(await submit(page, page.getByRole('button', { name: 'Subscribe', exact: true }))).toBe(200);
        expect(await heading(page)).toBe('Check your email');
        expect(await page.locator('main').textContent()).toContain('reader@example.gov');
      });
      await processSubscriptionRequests(running.ctx);
      const mail = (await confirmationMails(running.ctx, 'reader@example.gov')).at(-1);
      expect(mail?.link.startsWith(`${origin}/subscribe/confirm/`)).toBe(true);
      await check(reader, '/subscribe/confirm/<token>', async (page) => {
        await open(page, mail?.link ?? '');
        expect(await heading(page)).toBe('Confirm your subscription');
        expect(await page.locator('main li').allTextContents()).toEqual([
          'Community Policing Dispatch (monthly)',
          'Events and X chats (as items are published)',
        ]);
      });
      await check(reader, "you're subscribed", async (page) => {
        await open(page, mail?.link ?? '');
        expect(await submit(page, page.getByRole('button', { name: 'Confirm subscription' }))).toBe(200);
        expect(await heading(page)).toBe("You're subscribed");
        const preferences = await page.getByRole('link', { name: 'Manage your preferences' }).getAttribute('href');
        expect(preferences?.startsWith(`${origin}/preferences/open/`)).toBe(true);
      });
      await check(reader, 'the used link', async (page) => {
        await open(page, mail?.link ?? '', 404);
        expect(await heading(page)).toBe('This link is not valid');
      });
    },
    t,
  );

  it(
    'works without JavaScript: from the box to "Check your email"',
    async () => {
      const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false });
      try {
        const page = await noScript.newPage();
        await open(page, '/issues');
        await subscribeBox(page).getByLabel('Email address').fill('nojs@example.gov');
        expect(await submit(page, subscribeBox(page).getByRole('button', { name: 'Subscribe' }))).toBe(200);
        expect(await page.getByLabel('Email address').inputValue()).toBe('nojs@example.gov');
        await setChecked(page.getByLabel('School safety'), true);
        expect(await submit(page, page.getByRole('button', { name: 'Subscribe', exact: true }))).toBe(200);
        expect(await heading(page)).toBe('Check your email');
        const stored = await running.ctx.db
          .selectFrom('subscription_requests')
          .select(['source', 'topic_ids'])
          .where('email', '=', 'nojs@example.gov')
          .execute();
        expect(stored).toHaveLength(1);
        expect(stored[0]?.source).toBe('subscribe-box');
        expect(JSON.parse(stored[0]?.topic_ids ?? '[]')).toHaveLength(2);
        expect(noScript.cspViolations).toEqual([]);
      } finally {
        await noScript.close();
      }
    },
    t,
  );
});
