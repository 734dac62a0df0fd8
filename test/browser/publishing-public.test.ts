import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent } from '../publishing-site/fixtures.ts';
import {
  type AxeFinding,
  axeViolations,
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  describeFindings,
  launchChromium,
  open as openPage,
  type RunningApp,
  startApp,
  WatchedContext,
} from './harness.ts';

const ARTICLE = '/articles/x-chat-school-resource-officer-mou';
const EVENT = '/events/rems-chat-with-an-expert-sro-mou-2024-01-22';

const publicPages = [
  '/',
  '/issues',
  '/issues/17/1',
  ARTICLE,
  '/topics',
  '/topics/school-safety',
  '/events',
  '/events?page=2',
  EVENT,
  '/resources',
  '/resources?kind=website',
];

describe.skipIf(chromiumMissing)('in a real browser: the public pages of the publication', () => {
  let running: RunningApp;
  let browser: Browser;
  /** A reader in Paris, so "their" time differs from the event's Eastern time. */
  let reader: WatchedContext;
  const allFindings: AxeFinding[] = [];

  beforeAll(async () => {
    running = await startApp();
    // Enough past events (the app runs on the real clock) for a second page of them, with pagination.
    for (let day = 1; day <= 25; day++) {
      const startsAt = `2020-01-${String(day).padStart(2, '0')}T16:00:00.000Z`;
      await insertEvent(running.ctx.db, { slug: `archived-${day}`, title: `Archived webinar ${day}`, startsAt });
    }
    browser = await launchChromium();
    reader = await WatchedContext.open(browser, { locale: 'en-US', timezoneId: 'Europe/Paris' });
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    if (allFindings.length > 0) console.log(`All axe violations:\n${describeFindings(allFindings)}`);
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string) => openPage(page, running.origin, path);

  for (const path of publicPages) {
    it(
      `${path} passes axe with no CSP violation or script error`,
      async () => {
        const csp = reader.cspViolations.length;
        const errors = reader.pageErrors.length + reader.consoleErrors.length;
        const page = await reader.newPage();
        try {
          await open(page, path);
          expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
          const findings = await axeViolations(page, path);
          allFindings.push(...findings);
          expect(findings, `axe violations on ${path}:\n${describeFindings(findings)}`).toEqual([]);
          expect(reader.cspViolations.slice(csp)).toEqual([]);
          expect(reader.pageErrors.length + reader.consoleErrors.length, 'script or console errors').toBe(errors);
        } finally {
          await page.close();
        }
      },
      BROWSER_TEST_TIMEOUT,
    );
  }

  it(
    'with JavaScript the event page adds the reader’s own time next to the Eastern time',
    async () => {
      const page = await reader.newPage();
      try {
        await open(page, EVENT);
        const local = page.locator('[data-local-time]');
        await expect.poll(() => local.textContent()).toContain('5:00 PM');
        expect(await local.textContent()).toContain('January 22, 2024');
        expect(await page.locator('[data-local-time-holder]').isVisible()).toBe(true);
        expect(await page.locator('.event-details time').textContent()).toBe('Monday, January 22, 2024, 11:00 AM ET');
      } finally {
        await page.close();
      }
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'without JavaScript the event page shows the Eastern time and no empty "your time" line',
    async () => {
      const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false, timezoneId: 'Europe/Paris' });
      try {
        const page = await noScript.newPage();
        await open(page, EVENT);
        expect(await page.getByText('Monday, January 22, 2024, 11:00 AM ET').first().isVisible()).toBe(true);
        expect(await page.locator('[data-local-time-holder]').isVisible()).toBe(false);
        expect(await page.locator('[data-local-time]').textContent()).toBe('');
        // The resources filter is a plain GET form: it works without a script.
        await open(page, '/resources');
        await page.getByLabel('Kind').selectOption('website');
        await Promise.all([page.waitForURL(/kind=website/), page.getByRole('button', { name: 'Show resources' }).click()]);
        expect(await page.getByRole('heading', { level: 2, name: 'Website' }).count()).toBe(1);
      } finally {
        await noScript.close();
      }
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'printing an article hides the header, navigation and footer and keeps the article',
    async () => {
      const page = await reader.newPage();
      try {
        await open(page, ARTICLE);
        expect(await page.getByRole('navigation', { name: 'Primary' }).isVisible()).toBe(true);
        await page.emulateMedia({ media: 'print' });
        expect(await page.getByRole('navigation', { name: 'Primary' }).isVisible()).toBe(false);
        expect(await page.locator('header.site-header').isVisible()).toBe(false);
        expect(await page.locator('footer').isVisible()).toBe(false);
        expect(await page.locator('.publishing-subscribe').isVisible()).toBe(false);
        expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
        expect(await page.locator('.article-body').isVisible()).toBe(true);
        // External links print their address after the text.
        const after = await page
          .locator('.additional-resources a')
          .first()
          .evaluate((a) => getComputedStyle(a, '::after').content);
        expect(after).toContain('https://rems.ed.gov/');
      } finally {
        await page.close();
      }
    },
    BROWSER_TEST_TIMEOUT,
  );
});
