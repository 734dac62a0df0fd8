import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFirstAdminLink } from '../../src/accounts/issue-setup-link.ts';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  chromiumMissing,
  enrolmentKeyOn,
  freshTotp,
  heading,
  launchChromium,
  type RunningApp,
  startApp,
  totpFor,
  totpStep,
  WatchedContext,
} from './harness.ts';

describe.skipIf(chromiumMissing)('in a real browser: the first administrator', () => {
  let running: RunningApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    running = await startApp();
    browser = await launchChromium();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  it(
    'an administrator is created from the setup link, enrols a second factor, signs in and out',
    async () => {
      const { ctx, origin } = running!;
      expect(ctx.config.demo).toBe(true);
      const link = await issueFirstAdminLink(ctx);
      if (!link || !('url' in link)) throw new Error('expected a first-administrator link on a fresh install');
      expect(new URL(link.url).origin).toBe(origin);

      const watched = await WatchedContext.open(browser!);
      const page = await watched.newPage();
      const email = 'first.admin@example.gov';
      const password = 'violet harbour lantern quietly 7';

      // The one-time setup link.
      await page.goto(link.url);
      expect(await heading(page)).toBe('Create the first administrator');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Your name').fill('First Admin');
      await page.getByLabel('Choose a password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${origin}/account/second-factor`);
      expect(await heading(page)).toBe('Set up your authenticator app');

      // Enrol: type the manual-entry key into "the app" (otpauth) and enter its code.
      const key = await enrolmentKeyOn(page);
      const enrolledAt = Date.now();
      await page.getByLabel('6-digit code').fill(totpFor(key).generate({ timestamp: enrolledAt }));
      await page.getByRole('button', { name: 'Turn on second factor' }).click();
      await page.waitForURL(`${origin}/account?notice=second-factor-on`);
      expect(await page.locator('.usa-alert--success').textContent()).toContain('Your authenticator app is set up.');

      // Sign out with the header button.
      await page.locator('header.site-header').getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/login');

      // Sign in again: password, then a code from a later time step (the enrolment code cannot be replayed).
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/login/second-factor`);
      expect(await heading(page)).toBe('Enter your code');
      const { code } = await freshTotp(key, totpStep(enrolledAt));
      await page.getByLabel('6-digit code').fill(code);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${origin}/admin`);
      expect(
        await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Admin' }).getAttribute('aria-current'),
      ).toBe('page');

      // Sign out; the admin area sends the browser to the sign-in page.
      await page.locator('header.site-header').getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      await page.goto(`${origin}/admin`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await heading(page)).toBe('Staff sign in');

      expect(watched.cspViolations, JSON.stringify(watched.cspViolations, null, 2)).toEqual([]);
      expect(watched.pageErrors, JSON.stringify(watched.pageErrors, null, 2)).toEqual([]);
      await watched.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
