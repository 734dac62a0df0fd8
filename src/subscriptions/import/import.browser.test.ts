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
  startApp,
  submit,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { createStaff } from '../../../test/support/app.ts';
import { createSession } from '../../platform/auth/sessions.ts';

/** The file field labelled "CSV file" (USWDS wraps it in a drop zone, so the label finds the zone). */
const fileInput = (page: Page) => page.locator('input[type="file"]#field-file');

const csv = (text: string) => ({ name: 'subscribers.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

describe.skipIf(chromiumMissing)('importing subscribers in a real browser: upload, report, import; axe (WCAG 2.1 A and AA)', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let admin: WatchedContext;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    browser = await launchChromium();
    admin = await WatchedContext.open(browser);
    // A publisher whose second factor is settled: the session is minted, signing in is tested elsewhere.
    const staff = await createStaff(running.ctx, 'publisher', 'import.publisher@example.gov');
    const token = await createSession(running.ctx.db, running.ctx.clock, {
      userId: staff.userId,
      awaitingSecondFactor: false,
      secondFactorVerified: true,
    });
    await admin.context.addCookies([{ name: 'dispatch_session', value: token, url: origin }]);
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);
  const t = BROWSER_TEST_TIMEOUT;

  it(
    'the upload page explains the format',
    () =>
      check(admin, '/admin/subscribers/import', async (page) => {
        await open(page, '/admin/subscribers/import');
        expect(await heading(page)).toBe('Import subscribers');
        expect(await page.locator('pre code').textContent()).toContain('email,topics,consent_date,source');
        await expect(page.getByRole('button', { name: 'Check the file' }).isVisible()).resolves.toBe(true);
        await expect(page.getByRole('button', { name: 'Export subscribers (CSV)' }).isVisible()).resolves.toBe(true);
      }),
    t,
  );

  it(
    'a file with the wrong columns is refused on the form, saying which columns were expected',
    () =>
      check(admin, '/admin/subscribers/import (refused file)', async (page) => {
        await open(page, '/admin/subscribers/import');
        await fileInput(page).setInputFiles(csv('name,e-mail\nPat,pat@example.gov\n'));
        expect(await submit(page, page.getByRole('button', { name: 'Check the file' }))).toBe(400);
        const summary = await page.locator('#error-summary').textContent();
        expect(summary).toContain('Expected: email, topics, consent_date, source');
        expect(summary).toContain('Found: name, e-mail.');
      }),
    t,
  );

  it(
    'an upload with a bad line: the report, then "Import the 2 valid rows"',
    async () => {
      const page = await admin.newPage();
      try {
        await open(page, '/admin/subscribers/import');
        await fileInput(page).setInputFiles(
          csv('email,topics,consent_date,source\npat@example.gov,events,2024-05-31,Fair\n<b>not an address</b>,,,\nsam@example.gov,,,\n'),
        );
        expect(await submit(page, page.getByRole('button', { name: 'Check the file' }))).toBe(200);
        expect(new URL(page.url()).pathname).toMatch(/^\/admin\/subscribers\/import\/[0-9a-f-]{36}$/);
      } finally {
        await page.close();
      }
      const report = (
        await running.ctx.db.selectFrom('subscriber_imports').select('id').where('status', '=', 'ready').executeTakeFirstOrThrow()
      ).id;

      await check(admin, '/admin/subscribers/import/<id> (checked)', async (page) => {
        await open(page, `/admin/subscribers/import/${report}`);
        expect(await heading(page)).toBe('Import report');
        const rows = await page.locator('table tbody tr').allTextContents();
        expect(rows).toEqual(['3Enter an e-mail address like name@example.gov.']);
      });

      await check(admin, '/admin/subscribers/import/<id> (imported)', async (page) => {
        await open(page, `/admin/subscribers/import/${report}`);
        expect(await submit(page, page.getByRole('button', { name: 'Import the 2 valid rows' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain(
          '2 new subscribers (1 asked to confirm by e-mail), 0 existing subscribers given topics, 0 rows skipped.',
        );
        await expect(page.getByRole('button', { name: 'Import the 2 valid rows' }).count()).resolves.toBe(0);
      });
      const subscribers = await running.ctx.db.selectFrom('subscribers').select(['email', 'status']).orderBy('email').execute();
      expect(subscribers).toEqual([
        { email: 'pat@example.gov', status: 'active' },
        { email: 'sam@example.gov', status: 'pending' },
      ]);
    },
    t,
  );

  it('the list of recent imports', () => check(admin, '/admin/subscribers/imports', (page) => open(page, '/admin/subscribers/imports')), t);
});
