import type { Browser, Page } from 'playwright-core';
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
import { createJobRunner } from '../../jobs.ts';
import { browserStaff, check, open, signIn, skipBrowserValidation, submit } from './browser-support.ts';

const t = BROWSER_TEST_TIMEOUT;

describe.skipIf(chromiumMissing)('in a real browser: an article from draft to published', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let editor: WatchedContext;
  let publisher: WatchedContext;
  let visitor: WatchedContext;
  let articlePath = '';

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    browser = await launchChromium();
    editor = await WatchedContext.open(browser);
    publisher = await WatchedContext.open(browser);
    visitor = await WatchedContext.open(browser);
    const editorPage = await editor.newPage();
    await signIn(editorPage, origin, await browserStaff(running.ctx, 'editor', 'writer@example.gov'));
    await editorPage.close();
    const publisherPage = await publisher.newPage();
    await signIn(publisherPage, origin, await browserStaff(running.ctx, 'publisher', 'publisher@example.gov'));
    await publisherPage.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  it(
    'the articles list and the empty form pass axe',
    async () => {
      await check(editor, '/admin/articles', (page) => open(page, origin, '/admin/articles'));
      await check(editor, '/admin/articles?status=published', (page) => open(page, origin, '/admin/articles?status=published'));
      await check(editor, '/admin/articles/new', (page) => open(page, origin, '/admin/articles/new'));
      await check(editor, '/admin/articles/new (errors)', async (page) => {
        await open(page, origin, '/admin/articles/new');
        await skipBrowserValidation(page);
        await page.getByLabel('Additional resources').fill('Not a link line');
        expect(await submit(page, page.getByRole('button', { name: 'Save draft' }))).toBe(400);
        expect(await page.locator('#error-summary li').count()).toBe(4);
      });
    },
    t,
  );

  it(
    'an editor writes an article, previews it and submits it for review',
    async () => {
      await check(editor, '/admin/articles (new, preview, save)', async (page: Page) => {
        await open(page, origin, '/admin/articles/new');
        await page.getByLabel('Title', { exact: true }).fill('Rural Partnerships That Last');
        await page.getByLabel('Summary').fill('Three counties share what kept their partnerships going.');
        await page
          .getByLabel('Article text (Markdown)')
          .fill('Small agencies **share** what they have.\n\n## What worked\n\nMeeting monthly.');
        await page.getByLabel('Authors').fill('Jane Doe');
        await page.getByLabel('Issue', { exact: true }).selectOption({ label: 'Volume 17, Issue 1 (January 2024)' });
        // USWDS draws its own box and moves the input off-screen: people click the label.
        await page.locator('label', { hasText: 'Partnerships' }).click();
        await page.getByLabel('Additional resources').fill('COPS Office | https://cops.usdoj.gov/');
        expect(await submit(page, page.getByRole('button', { name: 'Preview' }))).toBe(200);
        expect(await page.locator('#preview-heading').textContent()).toBe('Preview (not saved)');
        expect(await page.locator('.usa-prose strong').textContent()).toBe('share');
        // The form kept everything typed, so saving now saves it all.
        expect(await page.getByLabel('Partnerships').isChecked()).toBe(true);
        expect(await submit(page, page.getByRole('button', { name: 'Save draft' }))).toBe(200);
        expect(await heading(page)).toBe('Edit “Rural Partnerships That Last”');
        articlePath = new URL(page.url()).pathname;
      });
      await check(editor, '/admin/articles/:id (submitted)', async (page) => {
        await open(page, origin, articlePath);
        expect(await submit(page, page.getByRole('button', { name: 'Submit for review' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Submitted for review');
        expect(await page.getByRole('button', { name: 'Publish now' }).count()).toBe(0);
      });
      await check(editor, '/admin/articles/:id/preview', (page) => open(page, origin, `${articlePath}/preview`));
      await check(editor, '/admin/articles/:id/revisions', (page) => open(page, origin, `${articlePath}/revisions`));
      await check(editor, '/admin/articles/:id/revisions/:n', async (page) => {
        await open(page, origin, `${articlePath}/revisions`);
        await page.getByRole('link', { name: /View/ }).first().click();
        await page.waitForLoadState('load');
        expect(await heading(page)).toMatch(/^Revision \d+$/);
      });
    },
    t,
  );

  it(
    'without JavaScript, the form previews and saves just the same',
    async () => {
      const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false });
      try {
        const page = await noScript.newPage();
        await signIn(page, origin, await browserStaff(running.ctx, 'editor', 'noscript@example.gov'));
        await open(page, origin, '/admin/articles/new');
        await page.getByLabel('Title', { exact: true }).fill('Written Without Scripts');
        await page.getByLabel('Summary').fill('Plain HTML forms.');
        await page.getByLabel('Article text (Markdown)').fill('It *works*.');
        expect(await submit(page, page.getByRole('button', { name: 'Preview' }))).toBe(200);
        expect(await page.locator('.usa-prose em').textContent()).toBe('works');
        expect(await submit(page, page.getByRole('button', { name: 'Save draft' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Article saved as a draft.');
      } finally {
        await noScript.close();
      }
    },
    t,
  );

  it(
    'a publisher schedules it seconds ahead; the job runner publishes it; readers see it',
    async () => {
      await check(publisher, '/admin/articles/:id (schedule in the past)', async (page) => {
        await open(page, origin, articlePath);
        await page.getByLabel('Date', { exact: true }).fill('2020-01-01');
        await page.getByLabel('Time', { exact: true }).fill('09:00');
        expect(await submit(page, page.getByRole('button', { name: 'Schedule', exact: true }))).toBe(400);
        expect(await page.locator('#error-summary').textContent()).toContain('Choose a time in the future.');
      });
      let publishAt = 0;
      await check(publisher, '/admin/articles/:id (scheduled)', async (page) => {
        await open(page, origin, articlePath);
        publishAt = Date.now() + 3000;
        const when = new Date(publishAt).toISOString();
        await page.getByLabel('Date', { exact: true }).fill(when.slice(0, 10));
        await page.getByLabel('Time', { exact: true }).fill(when.slice(11, 19));
        await page.getByLabel('Time zone').selectOption('UTC');
        expect(await submit(page, page.getByRole('button', { name: 'Schedule', exact: true }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Scheduled.');
      });
      const runner = await createJobRunner(running.ctx);
      // The job waits for the chosen time (early runs are covered with a FixedClock in the unit
      // tests; here the machine's load makes "before" a race); it runs once the time has passed.
      const job = await running.ctx.db
        .selectFrom('jobs')
        .select(['run_at', 'status'])
        .where('name', '=', 'publishing.publish-scheduled')
        .executeTakeFirstOrThrow();
      expect(job).toEqual({ run_at: new Date(Math.floor(publishAt / 1000) * 1000).toISOString(), status: 'queued' });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, publishAt - Date.now() + 200)));
      expect(await runner.runOnce()).toBe(1);
      const row = await running.ctx.db
        .selectFrom('publishing_articles')
        .select(['slug', 'status'])
        .where('id', '=', articlePath.split('/').at(-1)!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('published');
      await check(visitor, '/articles/<slug>', async (page) => {
        await open(page, origin, `/articles/${row.slug}`);
        expect(await heading(page)).toBe('Rural Partnerships That Last');
      });
      await check(publisher, '/admin/articles/:id (published, publisher)', async (page) => {
        await open(page, origin, articlePath);
        expect(await page.getByRole('button', { name: 'Unpublish' }).count()).toBe(1);
      });
      await check(editor, '/admin/articles/:id (published, editor)', async (page) => {
        await open(page, origin, articlePath);
        expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
      });
      await check(publisher, '/admin/articles/:id/revisions (after publishing)', async (page) => {
        await open(page, origin, `${articlePath}/revisions`);
        expect(await page.locator('tbody tr').count()).toBe(4);
      });
    },
    t,
  );
});
