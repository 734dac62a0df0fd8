import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  describeFindings,
  heading,
  launchChromium,
  type RunningApp,
  startApp,
  WatchedContext,
} from '../../../test/browser/harness.ts';

// /search in Chromium: axe (WCAG 2.1 A and AA) on each state of the page, and the search and
// filter forms working with JavaScript switched off.

describe.skipIf(chromiumMissing)('/search in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    running = await startApp();
    browser = await launchChromium();
  }, BROWSER_HOOK_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it(
    'passes axe with no query, with results, with no results and with a refused filter',
    async () => {
      const context = await WatchedContext.open(browser);
      const page = await context.newPage();
      const findings = [];
      for (const path of ['/search', '/search?q=MOU', '/search?q=zzzzqqq', '/search?q=MOU&kind=issue']) {
        await page.goto(running.origin + path);
        findings.push(...(await axeViolations(page, path)));
      }
      expect(findings, describeFindings(findings)).toEqual([]);
      expect([...context.cspViolations, ...context.consoleErrors, ...context.pageErrors]).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'searches and filters without JavaScript',
    async () => {
      const context = await WatchedContext.open(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${running.origin}/search`);
      expect(await heading(page)).toBe('Search the Community Policing Dispatch');
      await page.getByLabel('Search articles, events and resources').fill('MOU');
      await Promise.all([page.waitForURL(/\/search\?q=MOU$/), page.getByRole('button', { name: 'Search' }).click()]);
      await expect(page.getByRole('heading', { level: 2, name: /results? for “MOU”/ }).count()).resolves.toBe(1);
      await expect(page.locator('mark').first().textContent()).resolves.toBe('MOU');

      await page.getByLabel('Show').selectOption('event');
      await Promise.all([page.waitForURL(/kind=event/), page.getByRole('button', { name: 'Apply filters' }).click()]);
      const links = await page.locator('.usa-collection__heading a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(['/events/rems-chat-with-an-expert-sro-mou-2024-01-22']);
      // The filter stays when searching again from the box.
      await page.getByLabel('Search articles, events and resources').fill('chat');
      await Promise.all([page.waitForURL(/q=chat&kind=event/), page.getByRole('button', { name: 'Search' }).click()]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
