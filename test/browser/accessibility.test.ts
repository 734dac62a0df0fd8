import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueFirstAdminLink, issueSetupLink } from '../../src/accounts/issue-setup-link.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { parseDevMail } from '../../src/platform/mail/dev-mailbox.ts';
import { createStaff } from '../support/app.ts';
import {
  axeViolations,
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  type ConsoleProblem,
  check,
  chromiumMissing,
  freshTotp,
  heading,
  launchChromium,
  open as openPage,
  type RunningApp,
  type Staff,
  skipBrowserValidation,
  staffWithSecondFactor,
  startApp,
  submit,
  WatchedContext,
} from './harness.ts';

async function signIn(page: Page, origin: string, staff: Staff, usedStep = -1): Promise<number> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('E-mail address').fill(staff.email);
  await page.getByLabel('Password').fill(staff.password);
  await submit(page, page.getByRole('button', { name: 'Sign in' }));
  if (!staff.totpKey) return usedStep;
  expect(new URL(page.url()).pathname).toBe('/login/second-factor');
  const { code, step } = await freshTotp(staff.totpKey, usedStep);
  await page.getByLabel('6-digit code').fill(code);
  expect(await submit(page, page.getByRole('button', { name: 'Verify' }))).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/admin');
  return step;
}

describe.skipIf(chromiumMissing)('in a real browser: every page passes axe (WCAG 2.1 A and AA)', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let ctx: AppContext;
  /** A visitor who is not signed in. */
  let visitor: WatchedContext;
  /** An administrator signed in with password and authenticator. */
  let admin: WatchedContext;
  /** A second administrator, signed in with a password and not yet with a code. */
  let halfSignedIn: WatchedContext;
  /** A local-demo administrator who postponed the second factor. */
  let postponed: WatchedContext;
  let mainAdmin: Staff;
  let secondAdmin: Staff;
  let firstAdminSetupUrl: string;
  let inviteSetupUrl: string;
  const otherConsoleErrors: ConsoleProblem[] = [];

  beforeAll(async () => {
    running = await startApp();
    ({ ctx, origin } = running);
    browser = await launchChromium();

    const firstAdmin = await issueFirstAdminLink(ctx);
    if (!firstAdmin || !('url' in firstAdmin)) throw new Error('expected a first-administrator link on a fresh install');
    firstAdminSetupUrl = firstAdmin.url;
    inviteSetupUrl = (await issueSetupLink(ctx, { email: 'invited.editor@example.gov', role: 'editor', actor: 'test' })).url;

    mainAdmin = await staffWithSecondFactor(ctx, 'admin', 'main.admin@example.gov');
    secondAdmin = await staffWithSecondFactor(ctx, 'admin', 'second.admin@example.gov');
    const demoAdmin: Staff = { ...(await createStaff(ctx, 'admin', 'demo.admin@example.gov')), totpKey: null };

    visitor = await WatchedContext.open(browser);
    admin = await WatchedContext.open(browser);
    halfSignedIn = await WatchedContext.open(browser);
    postponed = await WatchedContext.open(browser);

    const adminPage = await admin.newPage();
    await signIn(adminPage, origin, mainAdmin);
    await adminPage.close();

    const halfPage = await halfSignedIn.newPage();
    await halfPage.goto(`${origin}/login`);
    await halfPage.getByLabel('E-mail address').fill(secondAdmin.email);
    await halfPage.getByLabel('Password').fill(secondAdmin.password);
    await submit(halfPage, halfPage.getByRole('button', { name: 'Sign in' }));
    expect(new URL(halfPage.url()).pathname).toBe('/login/second-factor');
    await halfPage.close();

    const postponedPage = await postponed.newPage();
    await signIn(postponedPage, origin, demoAdmin);
    expect(new URL(postponedPage.url()).pathname).toBe('/account');
    await postponedPage.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    const errors = [visitor, admin, halfSignedIn, postponed].flatMap((w) => w?.consoleErrors ?? []).concat(otherConsoleErrors);
    if (errors.length > 0) console.log(`Console errors (not CSP):\n${errors.map((e) => `  ${e.url}: ${e.text}`).join('\n')}`);
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);

  const t = BROWSER_TEST_TIMEOUT;

  it(
    'axe is wired up: it reports a known violation',
    async () => {
      const page = await visitor.newPage();
      try {
        await page.setContent(
          '<!DOCTYPE html><html><head><title>t</title></head><body><main><img src="data:,"><input type="text"></main></body></html>',
        );
        const rules = (await axeViolations(page, 'known-bad')).map((f) => f.rule);
        expect(rules).toEqual(expect.arrayContaining(['html-has-lang', 'image-alt', 'label']));
      } finally {
        await page.close();
      }
    },
    t,
  );

  it(
    'the CSP watcher is wired up: it reports a blocked inline script',
    async () => {
      const watched = await WatchedContext.open(browser);
      try {
        const page = await watched.newPage();
        await page.goto(`${origin}/`);
        await page.evaluate(() => {
          const script = document.createElement('script');
          script.textContent = 'window.injected = true';
          document.body.append(script);
        });
        await page.waitForTimeout(200);
        expect(await page.evaluate(() => 'injected' in window)).toBe(false);
        expect(watched.cspViolations.length).toBeGreaterThan(0);
      } finally {
        await watched.close();
      }
    },
    t,
  );

  describe('public pages', () => {
    it(
      'the home page',
      () =>
        check(visitor, '/', async (page) => {
          await open(page, '/');
          await page.screenshot({ path: '/tmp/home.png', fullPage: true });
        }),
      t,
    );

    it('the sign-in page', () => check(visitor, '/login', (page) => open(page, '/login')), t);

    it(
      'the sign-in page after a wrong password',
      () =>
        check(visitor, '/login (wrong password)', async (page) => {
          await open(page, '/login');
          await page.getByLabel('E-mail address').fill(mainAdmin.email);
          await page.getByLabel('Password').fill('not the password at all, sorry');
          expect(await submit(page, page.getByRole('button', { name: 'Sign in' }))).toBe(400);
          expect(await page.locator('#error-summary').textContent()).toContain('The e-mail address or password is not correct.');
        }),
      t,
    );

    it('the recovery request page', () => check(visitor, '/account/recover', (page) => open(page, '/account/recover')), t);

    it(
      'the recovery request page with an error',
      () =>
        check(visitor, '/account/recover (invalid address)', async (page) => {
          await open(page, '/account/recover');
          await skipBrowserValidation(page);
          await page.getByLabel('E-mail address').fill('not-an-address');
          expect(await submit(page, page.getByRole('button', { name: 'Send reset link' }))).toBe(400);
        }),
      t,
    );

    it(
      'the recovery request page once sent',
      () =>
        check(visitor, '/account/recover (sent)', async (page) => {
          await open(page, '/account/recover');
          await page.getByLabel('E-mail address').fill(mainAdmin.email);
          expect(await submit(page, page.getByRole('button', { name: 'Send reset link' }))).toBe(200);
          expect(await page.locator('.usa-alert').textContent()).toContain('Check your e-mail');
        }),
      t,
    );

    it(
      'the page a recovery link opens, and it with an error',
      async () => {
        const mail = await ctx.db
          .selectFrom('dev_mail')
          .select(['id', 'raw'])
          .where('recipients', 'like', `%${mainAdmin.email}%`)
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (!mail) throw new Error('no recovery mail in the dev mailbox');
        const text = (await parseDevMail(mail.raw)).text ?? '';
        const link = text.match(/https?:\/\/\S+\/account\/recover\/\S+/)?.[0];
        if (!link) throw new Error(`no recovery link in the mail:\n${text}`);
        expect(new URL(link).origin).toBe(origin);
        await check(visitor, '/account/recover/<token>', (page) => open(page, link));
        await check(visitor, '/account/recover/<token> (password too short)', async (page) => {
          await open(page, link);
          // (The form is labelled "New password" too, so ask for the field by its role.)
          await page.getByRole('textbox', { name: 'New password' }).fill('short');
          expect(await submit(page, page.getByRole('button', { name: 'Save new password' }))).toBe(400);
        });
      },
      t,
    );

    it(
      'the first-administrator setup page',
      () => check(visitor, '/setup/<first admin token>', (page) => open(page, firstAdminSetupUrl)),
      t,
    );

    it(
      'an invitation setup page, and it with errors',
      async () => {
        await check(visitor, '/setup/<invite token>', (page) => open(page, inviteSetupUrl));
        await check(visitor, '/setup/<invite token> (errors)', async (page) => {
          await open(page, inviteSetupUrl);
          await skipBrowserValidation(page);
          await page.getByLabel('Your name').fill('');
          await page.getByLabel('Choose a password').fill('short');
          expect(await submit(page, page.getByRole('button', { name: 'Create account' }))).toBe(400);
          expect(await page.locator('#error-summary li').count()).toBe(2);
        });
      },
      t,
    );

    it('the 404 page', () => check(visitor, '/no-such-page', (page) => open(page, '/no-such-page', 404)), t);

    it(
      'the second-factor page while half signed in, and it after a wrong code',
      async () => {
        await check(halfSignedIn, '/login/second-factor', async (page) => {
          await open(page, '/login/second-factor');
          expect(await heading(page)).toBe('Enter your code');
        });
        await check(halfSignedIn, '/login/second-factor (wrong code)', async (page) => {
          await open(page, '/login/second-factor');
          await page.getByLabel('6-digit code').fill('000000');
          expect(await submit(page, page.getByRole('button', { name: 'Verify' }))).toBe(400);
        });
      },
      t,
    );
  });

  describe('signed-in pages', () => {
    it('the account page', () => check(admin, '/account', (page) => open(page, '/account')), t);

    it(
      'the account page with a notice',
      () => check(admin, '/account?notice=second-factor-on', (page) => open(page, '/account?notice=second-factor-on')),
      t,
    );

    it(
      'the account page after a failed password change',
      () =>
        check(admin, '/account (password change errors)', async (page) => {
          await open(page, '/account');
          await page.getByLabel('Current password').fill('this is not my password at all');
          await page.getByLabel('New password').fill('short');
          expect(await submit(page, page.getByRole('button', { name: 'Change password' }))).toBe(400);
        }),
      t,
    );

    it('the authenticator enrolment page', () => check(admin, '/account/second-factor', (page) => open(page, '/account/second-factor')), t);

    it(
      'the enrolment page after a wrong code',
      () =>
        check(admin, '/account/second-factor (wrong code)', async (page) => {
          await open(page, '/account/second-factor');
          await page.getByLabel('6-digit code').fill('000000');
          expect(await submit(page, page.getByRole('button', { name: 'Turn on second factor' }))).toBe(400);
        }),
      t,
    );

    it(
      'the admin overview',
      () =>
        check(admin, '/admin', async (page) => {
          await open(page, '/admin');
          await page.screenshot({ path: '/tmp/admin.png', fullPage: true });
        }),
      t,
    );

    it('the staff page', () => check(admin, '/admin/users', (page) => open(page, '/admin/users')), t);

    it(
      'the staff page after an invitation, and with an invitation error',
      async () => {
        await check(admin, '/admin/users (invited)', async (page) => {
          await open(page, '/admin/users');
          const form = page.getByRole('form', { name: 'Invite a staff member' });
          await form.getByLabel('E-mail address').fill('new.publisher@example.gov');
          await form.getByLabel('Name').fill('New Publisher');
          await form.getByLabel('Role').selectOption('publisher');
          expect(await submit(page, form.getByRole('button', { name: 'Send invitation' }))).toBe(200);
          expect(await page.locator('.usa-alert--success').textContent()).toContain('Invitation sent');
        });
        await check(admin, '/admin/users (invitation error)', async (page) => {
          await open(page, '/admin/users');
          await skipBrowserValidation(page);
          const form = page.getByRole('form', { name: 'Invite a staff member' });
          await form.getByLabel('E-mail address').fill('not-an-address');
          expect(await submit(page, form.getByRole('button', { name: 'Send invitation' }))).toBe(400);
        });
      },
      t,
    );

    it('the settings page', () => check(admin, '/admin/settings', (page) => open(page, '/admin/settings')), t);

    it(
      'the settings page with an empty site name',
      () =>
        check(admin, '/admin/settings (empty site name)', async (page) => {
          await open(page, '/admin/settings');
          await skipBrowserValidation(page);
          await page.getByLabel('Site name').fill('');
          expect(await submit(page, page.getByRole('button', { name: 'Save settings' }))).toBe(400);
          expect(await page.locator('#error-summary').textContent()).toContain('Enter the site name');
        }),
      t,
    );

    it(
      'the settings page once saved',
      () =>
        check(admin, '/admin/settings?saved=1', async (page) => {
          await open(page, '/admin/settings');
          expect(await submit(page, page.getByRole('button', { name: 'Save settings' }))).toBe(200);
          expect(new URL(page.url()).search).toBe('?saved=1');
        }),
      t,
    );

    it('the dev mailbox', () => check(admin, '/admin/mail', (page) => open(page, '/admin/mail')), t);

    it(
      'a message in the dev mailbox',
      async () => {
        const mail = await ctx.db.selectFrom('dev_mail').select('id').orderBy('id', 'desc').executeTakeFirst();
        if (!mail) throw new Error('the dev mailbox is empty: the recovery and invitation tests should have left mail');
        await check(admin, '/admin/mail/<id>', (page) => open(page, `/admin/mail/${mail.id}`));
      },
      t,
    );

    it('the audit log', () => check(admin, '/admin/audit', (page) => open(page, '/admin/audit')), t);

    it(
      'the admin overview and enrolment page of a demo administrator who postponed the second factor',
      async () => {
        await check(postponed, '/admin (second factor postponed)', async (page) => {
          await open(page, '/admin');
          expect(await page.locator('.usa-alert--warning').textContent()).toContain('has not enrolled a second factor');
        });
        await check(postponed, '/account/second-factor (postponable)', async (page) => {
          await open(page, '/account/second-factor');
          expect(await page.getByRole('link', { name: 'postpone this step' }).count()).toBe(1);
        });
      },
      t,
    );
  });

  describe('without JavaScript', () => {
    it(
      'the home page and sign-in work, and an administrator can sign in and out',
      async () => {
        const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false });
        try {
          const page = await noScript.newPage();
          await open(page, '/');
          expect(await page.locator('header.site-header .site-header__title').textContent()).toBe('Community Policing Dispatch');
          expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
          // The official banner's details stay hidden without the accordion script.
          if ((await page.locator('#gov-banner-default').count()) > 0)
            expect(await page.locator('#gov-banner-default').isVisible()).toBe(false);
          // Everything in the page is visible (USWDS must not leave the body hidden while waiting for its script).
          expect(await page.locator('main').isVisible()).toBe(true);

          await page.getByRole('link', { name: 'Staff sign in' }).click();
          await page.waitForURL(`${origin}/login`);
          expect(await page.locator('main').isVisible()).toBe(true);
          await signIn(page, origin, secondAdmin);
          expect(await heading(page)).toBeTruthy();
          await submit(page, page.locator('header.site-header').getByRole('button', { name: 'Sign out' }));
          expect(new URL(page.url()).pathname).toBe('/login');
          await open(page, '/admin');
          expect(new URL(page.url()).pathname).toBe('/login');
          expect(noScript.cspViolations).toEqual([]);
          otherConsoleErrors.push(...noScript.consoleErrors);
        } finally {
          await noScript.close();
        }
      },
      t,
    );
  });
});
