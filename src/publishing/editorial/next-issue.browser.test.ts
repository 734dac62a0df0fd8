import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  heading,
  launchChromium,
  type RunningApp,
  startApp,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { browserStaff, check, open, signIn, submit } from './browser-support.ts';

const TITLE = 'Planning Ahead for the School Year';

// The "done when" of the publishing work: staff publish the next monthly issue without touching
// code, and readers get it as the current issue.
describe.skipIf(chromiumMissing)('in a real browser: publishing the next issue', () => {
  let running: RunningApp;
  let browser: Browser;
  let editor: WatchedContext;
  let publisher: WatchedContext;
  let reader: WatchedContext;

  beforeAll(async () => {
    running = await startApp();
    browser = await launchChromium();
    editor = await WatchedContext.open(browser);
    publisher = await WatchedContext.open(browser);
    reader = await WatchedContext.open(browser);
    const editorPage = await editor.newPage();
    await signIn(editorPage, running.origin, await browserStaff(running.ctx, 'editor', 'next-issue-editor@example.gov'));
    await editorPage.close();
    const publisherPage = await publisher.newPage();
    await signIn(publisherPage, running.origin, await browserStaff(running.ctx, 'publisher', 'next-issue-publisher@example.gov'));
    await publisherPage.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  it(
    'a publisher opens February 2024, an editor writes its article, the publisher publishes it, readers see the new issue',
    async () => {
      const { origin } = running;
      let issuePath = '';
      await check(publisher, '/admin/issues/new (February 2024)', async (page) => {
        await open(page, origin, '/admin/issues/new');
        await page.getByLabel('Month').fill('2024-02');
        // Volume and number left blank: they come from the year and the month.
        expect(await submit(page, page.getByRole('button', { name: 'Create issue' }))).toBe(200);
        issuePath = new URL(page.url()).pathname;
        expect(issuePath).toMatch(/^\/admin\/issues\/[^/]+$/);
        expect(await page.getByLabel('Volume').inputValue()).toBe('17');
        expect(await page.getByLabel('Issue number').inputValue()).toBe('2');
      });

      let articlePath = '';
      await check(editor, '/admin/articles/new (in February)', async (page) => {
        await open(page, origin, '/admin/articles/new');
        await page.getByLabel('Title', { exact: true }).fill(TITLE);
        await page.getByLabel('Summary').fill('How districts and agencies use the summer to review their MOU.');
        await page
          .getByLabel('Article text (Markdown)')
          .fill('Summer is the time to **review** the agreement.\n\n## A checklist\n\n- Roles\n- Information sharing');
        await page.getByLabel('Issue', { exact: true }).selectOption({ label: 'Volume 17, Issue 2 (February 2024) (draft)' });
        expect(await submit(page, page.getByRole('button', { name: 'Save draft' }))).toBe(200);
        articlePath = new URL(page.url()).pathname;
        expect(await submit(page, page.getByRole('button', { name: 'Submit for review' }))).toBe(200);
      });

      // Nothing is public yet: the home page still shows January.
      const before = await reader.newPage();
      await open(before, origin, '/');
      expect(await before.locator('.issue-stamp, .issue-dateline').first().textContent()).toContain('January 2024 | Volume 17 | Issue 1');
      await before.close();

      await check(publisher, '/admin/articles/:id (published)', async (page) => {
        await open(page, origin, articlePath);
        expect(await submit(page, page.getByRole('button', { name: 'Publish now' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toMatch(/[Pp]ublished/);
      });

      await check(reader, '/ (February 2024)', async (page) => {
        await open(page, origin, '/');
        expect(await page.locator('.issue-stamp, .issue-dateline').first().textContent()).toContain('February 2024 | Volume 17 | Issue 2');
        expect(await page.getByRole('heading', { name: TITLE }).count()).toBe(1);
      });
      await check(reader, '/issues/17/2', async (page) => {
        await open(page, origin, '/issues/17/2');
        expect(await page.getByRole('link', { name: TITLE }).count()).toBeGreaterThan(0);
        await page.getByRole('link', { name: TITLE }).first().click();
        await page.waitForLoadState('load');
        expect(await heading(page)).toBe(TITLE);
      });
      await check(reader, '/issues (archive)', async (page) => {
        await open(page, origin, '/issues');
        expect(await page.getByRole('link', { name: /February 2024/ }).count()).toBe(1);
      });
    },
    BROWSER_TEST_TIMEOUT,
  );
});
