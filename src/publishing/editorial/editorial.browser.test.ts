import { XMLParser } from 'fast-xml-parser';
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
const TITLE = 'Rural Partnerships That Last';
/** A word of the article's body that no other content uses. */
const BODY_WORD = 'monthly';

// Reads the feeds with a parser that shares no code with the generator.
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name, path) => ['item', 'entry'].includes(name) || path === 'feed.entry.link',
});

describe.skipIf(chromiumMissing)('in a real browser: an article from draft to published', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let editor: WatchedContext;
  let publisher: WatchedContext;
  let visitor: WatchedContext;
  let articlePath = '';
  let articleSlug = '';

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
      // Until the job runs the feeds do not list it; asking now also puts them in the page cache,
      // which the reader's requests below must not be served from once the article is published.
      for (const feed of ['/feed.xml', '/atom.xml']) {
        const before = await visitor.context.request.get(`${origin}${feed}`);
        expect(before.status()).toBe(200);
        expect(await before.text()).not.toContain(TITLE);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, publishAt - Date.now() + 200)));
      expect(await runner.runOnce()).toBe(1);
      const row = await running.ctx.db
        .selectFrom('publishing_articles')
        .select(['slug', 'status'])
        .where('id', '=', articlePath.split('/').at(-1)!)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('published');
      articleSlug = row.slug;
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

  it(
    'a reader finds the published article through search and in the RSS and Atom feeds',
    async () => {
      expect(articleSlug, 'the test before published the article').not.toBe('');
      const articleUrl = `${origin}/articles/${articleSlug}`;
      // A fresh context: no session, no cookies, nothing the staff or the earlier visitor loaded.
      const reader = await WatchedContext.open(browser);
      try {
        await check(reader, `/search?q=${BODY_WORD}`, async (page) => {
          await open(page, origin, `/search?q=${BODY_WORD}`);
          const result = page.locator('.usa-collection__item', { hasText: TITLE });
          expect(await result.count()).toBe(1);
          // The match is in the body, so the snippet comes from the body, highlighted.
          expect(await result.locator('mark').allTextContents()).toEqual([BODY_WORD]);
        });
        await check(reader, 'search result to /articles/<slug>', async (page) => {
          await open(page, origin, `/search?q=${BODY_WORD}`);
          await Promise.all([page.waitForURL(articleUrl), page.getByRole('link', { name: TITLE }).click()]);
          expect(await heading(page)).toBe(TITLE);
        });

        // The public page cache keys on the content version, so the feeds list it at once.
        const rss = await reader.context.request.get(`${origin}/feed.xml`);
        expect(rss.status()).toBe(200);
        expect(rss.headers()['content-type']).toBe('application/rss+xml; charset=utf-8');
        const items = xml.parse(await rss.text()).rss.channel.item as { title: string; link: string }[];
        // Newest first: it was published just now, after the demo article.
        expect(items[0]).toMatchObject({ title: TITLE, link: articleUrl });

        const atom = await reader.context.request.get(`${origin}/atom.xml`);
        expect(atom.status()).toBe(200);
        expect(atom.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
        const entries = xml.parse(await atom.text()).feed.entry as { title: { '#text': string }; link: { '@href': string }[] }[];
        expect(entries[0]?.title['#text']).toBe(TITLE);
        expect(entries[0]?.link.map((l) => l['@href'])).toContain(articleUrl);
      } finally {
        await reader.close();
      }
    },
    t,
  );
});
