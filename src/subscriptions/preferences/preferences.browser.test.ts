import { readFile } from 'node:fs/promises';
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
  setChecked,
  skipBrowserValidation,
  startApp,
  submit,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { createJobRunner } from '../../jobs.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { parseDevMail } from '../../platform/mail/dev-mailbox.ts';
import { subscriberLinks } from '../keys.ts';
import { membershipsOf, seedSubscriber, topicId } from './test-support.ts';

// Preferences by e-mail in a real browser: ask for a link, open it, change topics and frequency,
// pause and resume, download the data, then the per-recipient links every mail carries. axe (WCAG
// 2.1 A and AA) runs on every page and state, error pages included; the flow also works without
// JavaScript.

const READER = 'reader@example.gov';

/**
 * Ticks or unticks a USWDS checkbox or radio button the way a person does: by its label. The input
 * itself sits off screen (USWDS draws the box on the label), so it cannot be clicked directly.
 */
describe.skipIf(chromiumMissing)('subscription preferences in a real browser: axe (WCAG 2.1 A and AA), no JavaScript', () => {
  let running: RunningApp;
  let runner: JobRunner;
  let browser: Browser;
  let reader: WatchedContext;
  let origin: string;
  let subscriberId: string;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    runner = await createJobRunner(running.ctx);
    browser = await launchChromium();
    reader = await WatchedContext.open(browser);
    subscriberId = await seedSubscriber(running.ctx, { email: READER, topics: ['dispatch', 'school-safety', 'editorial-partners'] });
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await reader?.close();
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);
  const t = BROWSER_TEST_TIMEOUT;

  /** Asks for a link on /preferences in `page`, runs the job, and returns the link mailed to `email`. */
  async function requestLink(page: Page, email: string): Promise<string> {
    await open(page, '/preferences');
    await page.getByLabel('Email address').fill(email);
    expect(await submit(page, page.getByRole('button', { name: 'Email me a link' }))).toBe(200);
    expect(await heading(page)).toBe('Check your email');
    await runner.runOnce();
    const mail = await running.ctx.db
      .selectFrom('dev_mail')
      .select('raw')
      .where('recipients', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const text = (await parseDevMail(mail.raw)).text ?? '';
    const link = text.match(/https?:\/\/\S+\/preferences\/sign-in\/[A-Za-z0-9_-]{43}/)?.[0];
    if (!link) throw new Error(`no sign-in link in the mail:\n${text}`);
    expect(new URL(link).origin).toBe(origin);
    return link;
  }

  it(
    'the address form, and it refused with errors',
    async () => {
      await check(reader, '/preferences', async (page) => {
        await open(page, '/preferences');
        expect(await heading(page)).toBe('Manage your subscription');
      });
      await check(reader, '/preferences (400)', async (page) => {
        await open(page, '/preferences');
        await skipBrowserValidation(page);
        await page.getByLabel('Email address').fill('not-an-address');
        expect(await submit(page, page.getByRole('button', { name: 'Email me a link' }))).toBe(400);
        expect(await page.locator('#error-summary li').allTextContents()).toEqual(['Enter an e-mail address like name@example.gov.']);
        expect(await page.getByLabel('Email address').inputValue()).toBe('not-an-address');
      });
      await check(reader, '/preferences?notice=expired', async (page) => {
        await open(page, '/preferences?notice=expired');
        expect(await page.locator('.usa-alert').textContent()).toContain('Your link has expired');
      });
    },
    t,
  );

  it(
    'a link by e-mail, Continue, then topics and frequency, pause and resume, and the data download',
    async () => {
      const { ctx } = running;
      let link = '';
      await check(reader, '/preferences (sent)', async (page) => {
        link = await requestLink(page, READER);
      });
      await check(reader, '/preferences/sign-in/<token>', async (page) => {
        await open(page, link);
        expect(await heading(page)).toBe('Open your subscription preferences');
      });
      await check(reader, '/preferences/manage', async (page) => {
        await open(page, link);
        expect(await submit(page, page.getByRole('button', { name: 'Continue' }))).toBe(200);
        expect(new URL(page.url()).pathname).toBe('/preferences/manage');
        expect(await heading(page)).toBe('Your subscription');
        // The private list is named, and offers no control.
        expect(await page.locator('main').textContent()).toContain('Editorial partners (internal)');
        expect(await page.getByLabel('Editorial partners (internal)').count()).toBe(0);
      });

      await check(reader, '/preferences/manage (saved)', async (page) => {
        await open(page, '/preferences/manage');
        await setChecked(page.getByLabel('School safety'), false);
        await setChecked(page.getByLabel('Events and X chats'));
        await setChecked(page.getByRole('group', { name: 'How often for Community Policing Dispatch' }).getByLabel('Monthly digest'));
        expect(await submit(page, page.getByRole('button', { name: 'Save preferences' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Your preferences have been saved.');
        expect(await page.getByLabel('Events and X chats').isChecked()).toBe(true);
      });
      expect(await membershipsOf(ctx, subscriberId)).toEqual(['dispatch:digest', 'editorial-partners:every', 'events:every']);

      await check(reader, '/preferences/manage (paused)', async (page) => {
        await open(page, '/preferences/manage');
        expect(await submit(page, page.getByRole('button', { name: 'Pause all email' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Your email is paused.');
      });
      await check(reader, '/preferences/manage (resumed)', async (page) => {
        await open(page, '/preferences/manage');
        expect(await submit(page, page.getByRole('button', { name: 'Resume email' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Your email has been resumed.');
      });
      const status = await ctx.db.selectFrom('subscribers').select('status').where('id', '=', subscriberId).executeTakeFirstOrThrow();
      expect(status.status).toBe('active');

      const page = await reader.newPage();
      try {
        await open(page, '/preferences/manage');
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Download my data' }).click(),
        ]);
        expect(download.suggestedFilename()).toBe('dispatch-subscriber-data.json');
        const data = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
        expect(data.subscriber).toMatchObject({ id: subscriberId, email: READER, status: 'active' });
        expect(data.subscriptions.map((s: { topicSlug: string; frequency: string }) => `${s.topicSlug}:${s.frequency}`)).toEqual([
          'dispatch:digest',
          'events:every',
          'editorial-partners:every',
        ]);
        expect(data.history.at(-1)).toMatchObject({ kind: 'exported', actor: 'subscriber' });
      } finally {
        await page.close();
      }

      await check(reader, '/preferences/manage (delete refused)', async (page) => {
        await open(page, '/preferences/manage');
        await skipBrowserValidation(page);
        expect(await submit(page, page.getByRole('button', { name: 'Delete me' }))).toBe(400);
        expect(await page.locator('#error-summary li').allTextContents()).toEqual([
          'Tick “I understand this deletes my address and history” to delete your address.',
        ]);
      });

      // The sign-in link was spent by Continue.
      await check(reader, '/preferences/sign-in/<used token>', async (page) => {
        await open(page, link, 404);
        expect(await heading(page)).toBe('This link is not valid');
      });
    },
    t,
  );

  it(
    'the signed per-recipient preferences link and the unsubscribe page, in a browser that never signed in',
    async () => {
      const { ctx } = running;
      const stranger = await WatchedContext.open(browser);
      try {
        const dispatch = await topicId(ctx, 'dispatch');
        const { preferencesUrl } = subscriberLinks(ctx.config, { subscriberId });
        const { unsubscribeUrl } = subscriberLinks(ctx.config, { subscriberId, topicId: dispatch });
        await check(stranger, '/preferences/open/<token>', async (page) => {
          await open(page, preferencesUrl);
          expect(await heading(page)).toBe('Your subscription');
          expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
          await setChecked(page.getByLabel('Grants and funding'));
          expect(await submit(page, page.getByRole('button', { name: 'Save preferences' }))).toBe(200);
          expect(new URL(page.url()).pathname).toBe(new URL(preferencesUrl).pathname);
          expect(await page.locator('.usa-alert--success').textContent()).toContain('Your preferences have been saved.');
        });
        expect(await membershipsOf(ctx, subscriberId)).toContain('grants:every');

        await check(stranger, '/unsubscribe/<topic token>', async (page) => {
          await open(page, unsubscribeUrl);
          expect(await heading(page)).toBe('Unsubscribe');
          expect(await page.getByRole('link', { name: 'Manage your preferences instead' }).getAttribute('href')).toBe(preferencesUrl);
        });
        await check(stranger, '/unsubscribe/<topic token> (done)', async (page) => {
          await open(page, unsubscribeUrl);
          expect(await submit(page, page.getByRole('button', { name: 'Unsubscribe' }))).toBe(200);
          expect(await heading(page)).toBe("You're unsubscribed");
        });
        expect(await membershipsOf(ctx, subscriberId)).not.toContain('dispatch:digest');
        await check(stranger, '/unsubscribe/<topic token> (already done)', async (page) => {
          await open(page, unsubscribeUrl);
          expect(await page.locator('.usa-alert--info').textContent()).toContain('You are already unsubscribed');
        });

        await check(stranger, '/unsubscribe/<garbled>', async (page) => {
          await open(page, `${unsubscribeUrl.slice(0, -3)}xyz`, 404);
          expect(await heading(page)).toBe('This link is not valid');
        });
        await check(stranger, '/preferences/manage (no session)', async (page) => {
          await open(page, '/preferences/manage');
          expect(new URL(page.url()).pathname).toBe('/preferences');
          expect(await page.locator('.usa-alert').textContent()).toContain('Your link has expired');
        });

        // Leaving everything from the page, then deleting the address from the same link.
        await check(stranger, '/preferences/open/<token> (unsubscribed)', async (page) => {
          await open(page, preferencesUrl);
          expect(await submit(page, page.getByRole('button', { name: 'Unsubscribe from everything' }))).toBe(200);
          expect(await page.locator('.usa-alert--success').textContent()).toContain('You are unsubscribed from everything.');
        });
        await check(stranger, '/preferences/deleted', async (page) => {
          await open(page, preferencesUrl);
          await setChecked(page.getByLabel('I understand this deletes my address and history'));
          expect(await submit(page, page.getByRole('button', { name: 'Delete me' }))).toBe(200);
          expect(await heading(page)).toBe('Your address has been deleted');
        });
        expect(await ctx.db.selectFrom('subscribers').select('id').where('id', '=', subscriberId).execute()).toEqual([]);
        await check(stranger, '/preferences/open/<deleted subscriber>', async (page) => {
          await open(page, preferencesUrl, 404);
          expect(await heading(page)).toBe('This link is not valid');
        });
      } finally {
        await stranger.close();
      }
    },
    t,
  );

  it(
    'works without JavaScript: link, Continue, topics, pause, and the unsubscribe button',
    async () => {
      const { ctx } = running;
      const id = await seedSubscriber(ctx, { email: 'nojs@example.gov', topics: ['dispatch'] });
      const noScript = await WatchedContext.open(browser, { javaScriptEnabled: false });
      try {
        const page = await noScript.newPage();
        const link = await requestLink(page, 'nojs@example.gov');
        await open(page, link);
        expect(await submit(page, page.getByRole('button', { name: 'Continue' }))).toBe(200);
        expect(await heading(page)).toBe('Your subscription');
        await setChecked(page.getByLabel('Grants and funding'));
        await setChecked(page.getByRole('group', { name: 'How often for Grants and funding' }).getByLabel('Monthly digest'));
        expect(await submit(page, page.getByRole('button', { name: 'Save preferences' }))).toBe(200);
        expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every', 'grants:digest']);
        expect(await submit(page, page.getByRole('button', { name: 'Pause all email' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Your email is paused.');

        await open(page, subscriberLinks(ctx.config, { subscriberId: id }).unsubscribeUrl);
        expect(await submit(page, page.getByRole('button', { name: 'Unsubscribe' }))).toBe(200);
        expect(await heading(page)).toBe("You're unsubscribed");
        const row = await ctx.db.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
        expect(row.status).toBe('unsubscribed');
        expect(noScript.cspViolations).toEqual([]);
      } finally {
        await noScript.close();
      }
    },
    t,
  );
});
