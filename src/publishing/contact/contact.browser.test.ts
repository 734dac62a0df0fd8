import type { Browser, Page } from 'playwright-core';
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
  signIn,
  staffWithSecondFactor,
  startApp,
  submit,
  WatchedContext,
} from '../../../test/browser/harness.ts';

async function fillContactForm(page: Page, values: { name?: string; email: string; subject: string; message: string }) {
  if (values.name !== undefined) await page.getByLabel('Your name').fill(values.name);
  await page.getByLabel('Your e-mail address').fill(values.email);
  await page.getByLabel('Subject').fill(values.subject);
  await page.getByLabel('Message').fill(values.message);
}

describe.skipIf(chromiumMissing)('Contact Us in a real browser: axe (WCAG 2.1 A and AA), trap field, no JavaScript', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let visitor: WatchedContext;
  let admin: WatchedContext;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    browser = await launchChromium();
    visitor = await WatchedContext.open(browser);
    admin = await WatchedContext.open(browser);

    const staff = await staffWithSecondFactor(running.ctx, 'admin', 'contact.admin@example.gov');
    const page = await admin.newPage();
    await signIn(page, origin, staff);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);

  const t = BROWSER_TEST_TIMEOUT;

  it(
    'the empty form; the trap field is off screen and out of the tab order',
    () =>
      check(visitor, '/contact', async (page) => {
        await open(page, '/contact');
        expect(await heading(page)).toBe('Contact Us');
        const trap = page.locator('#field-website');
        const box = await trap.boundingBox();
        expect(box && box.x + box.width <= 0, `trap field at ${JSON.stringify(box)}`).toBe(true);
        // Tabbing on from the message goes straight to the button, never through the trap.
        await page.getByLabel('Message').focus();
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Send message');
        // Nor does assistive technology meet it.
        expect(await page.getByRole('textbox', { name: 'Leave this field empty' }).count()).toBe(0);
      }),
    t,
  );

  it(
    'the form with errors keeps what was typed',
    () =>
      check(visitor, '/contact (errors)', async (page) => {
        await open(page, '/contact');
        // Post what the browser's own validation would stop, as a browser without it would.
        await page.evaluate(() => {
          for (const form of document.querySelectorAll('form')) form.noValidate = true;
        });
        await fillContactForm(page, { email: 'not-an-address', subject: '', message: 'Kept <as typed>' });
        expect(await submit(page, page.getByRole('button', { name: 'Send message' }))).toBe(400);
        expect(await page.locator('#error-summary li').allTextContents()).toEqual([
          'Enter an e-mail address like name@example.gov.',
          'Enter a subject.',
        ]);
        expect(await page.getByLabel('Your e-mail address').inputValue()).toBe('not-an-address');
        expect(await page.getByLabel('Message').inputValue()).toBe('Kept <as typed>');
      }),
    t,
  );

  it(
    'the thank-you page',
    () =>
      check(visitor, '/contact (sent)', async (page) => {
        await open(page, '/contact');
        await fillContactForm(page, {
          name: 'Pat <b>Officer</b>',
          email: 'pat@example.org',
          subject: 'Toolkit question',
          message: 'Where can I find the toolkit?\n\nThanks,\nPat',
        });
        expect(await submit(page, page.getByRole('button', { name: 'Send message' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('The editorial board will reply by e-mail');
      }),
    t,
  );

  it('the admin inbox', () => check(admin, '/admin/contact', (page) => open(page, '/admin/contact')), t);

  it(
    'a message in the admin inbox, and it after a status change',
    async () => {
      const row = await running.ctx.db.selectFrom('publishing_contact_messages').select('id').orderBy('id', 'desc').executeTakeFirst();
      if (!row) throw new Error('the thank-you test should have stored a message');
      await check(admin, '/admin/contact/<id>', async (page) => {
        await open(page, `/admin/contact/${row.id}`);
        expect(await heading(page)).toBe('Toolkit question');
        expect(await page.locator('main').textContent()).toContain('Pat <b>Officer</b>');
      });
      await check(admin, '/admin/contact/<id> (status changed)', async (page) => {
        await open(page, `/admin/contact/${row.id}`);
        await page.getByLabel('New status').selectOption('answered');
        expect(await submit(page, page.getByRole('button', { name: 'Change status' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Marked as answered.');
      });
      await check(admin, '/admin/contact?status=all', (page) => open(page, '/admin/contact?status=all'));
    },
    t,
  );

  it(
    'works without JavaScript',
    async () => {
      const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false });
      try {
        const page = await noScript.newPage();
        await open(page, '/contact');
        await fillContactForm(page, { email: 'nojs@example.org', subject: 'No script', message: 'Sent without JavaScript.' });
        expect(await submit(page, page.getByRole('button', { name: 'Send message' }))).toBe(200);
        expect(await heading(page)).toBe('Thank you for your message');
        const stored = await running.ctx.db
          .selectFrom('publishing_contact_messages')
          .select('subject')
          .where('email', '=', 'nojs@example.org')
          .execute();
        expect(stored).toEqual([{ subject: 'No script' }]);
        expect(noScript.cspViolations).toEqual([]);
      } finally {
        await noScript.close();
      }
    },
    t,
  );
});
