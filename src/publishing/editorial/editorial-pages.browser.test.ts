import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  launchChromium,
  type RunningApp,
  startApp,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { browserStaff, check, open, signIn, skipBrowserValidation, submit } from './browser-support.ts';
import { TINY_PNG } from './test-support.ts';

const t = BROWSER_TEST_TIMEOUT;

/** A form's page: as first shown, after a submission with errors, and (for edits) the seeded item. */
const sections = [
  {
    name: 'issues',
    list: '/admin/issues',
    edit: '/admin/issues/demo-issue-2024-01',
    button: 'Create issue',
    breakField: 'month',
    breakValue: '2024-13',
  },
  {
    name: 'events',
    list: '/admin/events',
    edit: '/admin/events/demo-event-rems-chat-2024-01-22',
    button: 'Create event',
    breakField: 'hashtag',
    breakValue: '#two words',
  },
  {
    name: 'resources',
    list: '/admin/resources',
    edit: '/admin/resources/demo-resource-rems-ta-center',
    button: 'Add resource',
    breakField: 'url',
    breakValue: 'javascript:alert(1)',
  },
  {
    name: 'topics',
    list: '/admin/topics',
    edit: '/admin/topics/demo-topic-partnerships',
    button: 'Add topic',
    breakField: 'name',
    breakValue: '',
  },
];

describe.skipIf(chromiumMissing)('in a real browser: every editorial admin page passes axe (WCAG 2.1 A and AA)', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let editor: WatchedContext;
  let publisher: WatchedContext;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    browser = await launchChromium();
    editor = await WatchedContext.open(browser);
    publisher = await WatchedContext.open(browser);
    const editorPage = await editor.newPage();
    await signIn(editorPage, origin, await browserStaff(running.ctx, 'editor', 'pages.editor@example.gov'));
    await editorPage.close();
    const publisherPage = await publisher.newPage();
    await signIn(publisherPage, origin, await browserStaff(running.ctx, 'publisher', 'pages.publisher@example.gov'));
    await publisherPage.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  for (const section of sections) {
    it(
      `${section.name}: the list, the new form, it with errors, and the seeded item for an editor and a publisher`,
      async () => {
        await check(editor, section.list, (page) => open(page, origin, section.list));
        await check(editor, `${section.list}/new`, (page) => open(page, origin, `${section.list}/new`));
        await check(editor, `${section.list}/new (errors)`, async (page: Page) => {
          await open(page, origin, `${section.list}/new`);
          await skipBrowserValidation(page);
          await page.locator(`#field-${section.breakField}`).fill(section.breakValue);
          expect(await submit(page, page.getByRole('button', { name: section.button }))).toBe(400);
          expect(await page.locator('#error-summary li').count()).toBeGreaterThan(0);
        });
        await check(editor, `${section.edit} (editor)`, (page) => open(page, origin, section.edit));
        await check(publisher, `${section.edit} (publisher)`, (page) => open(page, origin, section.edit));
      },
      t,
    );
  }

  it(
    'the images page, and an upload refused for want of a file or of alt text',
    async () => {
      await check(editor, '/admin/uploads', (page) => open(page, origin, '/admin/uploads'));
      await check(editor, '/admin/uploads (no file)', async (page) => {
        await open(page, origin, '/admin/uploads');
        await skipBrowserValidation(page);
        expect(await submit(page, page.getByRole('button', { name: 'Upload image' }))).toBe(400);
        expect(await page.locator('#error-summary').textContent()).toContain('Choose an image file');
      });
      await check(editor, '/admin/articles/:id/image (no alt text)', async (page) => {
        await open(page, origin, '/admin/articles/new');
        await page.getByLabel('Title', { exact: true }).fill('Needs a picture');
        await page.getByLabel('Summary').fill('A summary.');
        await page.getByLabel('Article text (Markdown)').fill('Text.');
        expect(await submit(page, page.getByRole('button', { name: 'Save draft' }))).toBe(200);
        await skipBrowserValidation(page);
        await page.locator('#field-image').setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: TINY_PNG });
        expect(await submit(page, page.getByRole('button', { name: 'Upload image' }))).toBe(400);
        expect(await page.locator('#error-summary').textContent()).toContain('Enter alt text describing the image.');
      });
      expect(await running.ctx.db.selectFrom('publishing_uploads').select('id').execute()).toEqual([]);
    },
    t,
  );
});
