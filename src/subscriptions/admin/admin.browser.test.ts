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
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { recordSubscriberEvent } from '../history.ts';
import { monthsEndingAt } from './read-subscription-growth.ts';
import { addMembership, insertSubscriber, topicIds } from './test-support.ts';

export const OVERVIEW_SCREENSHOT = '/tmp/subscribers-overview.png';
export const CHART_SCREENSHOT = '/tmp/subscribers-growth-chart.png';

/** A year of sign-ups and departures, subscribers on every topic, and one person with a history. */
async function seedSubscribers(ctx: AppContext): Promise<string> {
  const topics = await topicIds(ctx.db);
  const months = monthsEndingAt(ctx.clock.now());
  const joined = [14, 22, 18, 35, 41, 27, 52, 48, 39, 61, 44, 12];
  const left = [1, 3, 0, 4, 2, 6, 3, 0, 5, 7, 2, 1];
  let n = 0;
  for (const [i, month] of months.entries()) {
    for (let k = 0; k < joined[i]!; k++) {
      const id = await insertSubscriber(ctx.db, {
        email: `reader${n++}@example.gov`,
        status: k < left[i]! ? 'unsubscribed' : k % 9 === 0 ? 'paused' : 'active',
        confirmedAt: `${month}-0${(k % 9) + 1}T10:00:00.000Z`,
      });
      await addMembership(ctx.db, id, topics.dispatch!);
      if (k % 3 === 0) await addMembership(ctx.db, id, topics.events!);
      if (k % 5 === 0) await addMembership(ctx.db, id, topics['editorial-partners']!, 'digest');
      if (k < left[i]!) {
        await ctx.db
          .updateTable('subscribers')
          .set({ unsubscribed_at: `${month}-2${k % 8}T10:00:00.000Z` })
          .where('id', '=', id)
          .execute();
      }
    }
  }
  for (let k = 0; k < 5; k++) await insertSubscriber(ctx.db, { email: `pending${k}@example.gov`, status: 'pending', consentAt: null });

  const person = await insertSubscriber(ctx.db, {
    email: 'pat.officer@xn--exmple-cua.gov',
    status: 'active',
    consentSource: 'subscribe-page',
    consentIpHash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    consentUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) <Test browser>',
    confirmedAt: iso(ctx.clock.now()),
  });
  await addMembership(ctx.db, person, topics.dispatch!, 'digest');
  await addMembership(ctx.db, person, topics['editorial-partners']!);
  await recordSubscriberEvent(ctx.db, ctx.clock, {
    subscriberId: person,
    kind: 'requested',
    actor: 'subscriber',
    details: { source: 'subscribe-page', topics: ['dispatch'] },
  });
  await recordSubscriberEvent(ctx.db, ctx.clock, { subscriberId: person, kind: 'confirmed', actor: 'subscriber' });
  await recordSubscriberEvent(ctx.db, ctx.clock, {
    subscriberId: person,
    kind: 'topics_changed',
    actor: 'admin:staff@example.gov',
    details: { added: ['editorial-partners'], note: '<b>not markup</b>' },
  });
  await ctx.db
    .insertInto('subscriber_suppressions')
    .values({ email_hash: 'x'.repeat(64), reason: 'hard_bounce', created_at: iso(ctx.clock.now()) })
    .execute();
  return person;
}

describe.skipIf(chromiumMissing)('subscription admin in a real browser: axe (WCAG 2.1 A and AA) on every page', () => {
  let running: RunningApp;
  let browser: Browser;
  let origin: string;
  let admin: WatchedContext;
  let person: string;

  beforeAll(async () => {
    running = await startApp();
    origin = running.origin;
    person = await seedSubscribers(running.ctx);
    browser = await launchChromium();
    admin = await WatchedContext.open(browser, { viewport: { width: 1280, height: 900 } });

    const staff = await staffWithSecondFactor(running.ctx, 'admin', 'subscriptions.admin@example.gov');
    const page = await admin.newPage();
    await signIn(page, origin, staff);
    await page.close();
  }, BROWSER_HOOK_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  }, BROWSER_HOOK_TIMEOUT);

  const open = (page: Page, path: string, status = 200) => openPage(page, origin, path, status);
  const t = BROWSER_TEST_TIMEOUT;

  it(
    'the topics list, a new topic with errors and then saved, and its edit page',
    async () => {
      await check(admin, 'topics list', async (page) => {
        await open(page, '/admin/subscriptions/topics');
        expect(await heading(page)).toBe('Subscription topics');
        const row = page.getByRole('row', { name: /Editorial partners/ });
        expect(await row.textContent()).toContain('Private');
      });
      await check(admin, 'new topic', async (page) => {
        await open(page, '/admin/subscriptions/topics/new');
        expect(await heading(page)).toBe('New topic');
      });
      await check(admin, 'new topic (errors)', async (page) => {
        await open(page, '/admin/subscriptions/topics/new');
        await page.evaluate(() => {
          for (const form of document.querySelectorAll('form')) form.noValidate = true;
        });
        await page.getByLabel('Name').fill('');
        await page.getByLabel('Slug').fill('Not A Slug');
        await page.getByLabel('Position').fill('first');
        expect(await submit(page, page.getByRole('button', { name: 'Add topic' }))).toBe(400);
        expect(await page.locator('#error-summary li').allTextContents()).toEqual([
          'Enter a name for the topic.',
          'The slug can only have lower-case letters, digits and single hyphens between them, such as “school-safety”.',
          'Enter the position as a whole number from 0 to 9999.',
        ]);
        expect(await page.getByLabel('Slug').inputValue()).toBe('Not A Slug');
      });
      await check(admin, 'topic saved, then its edit page', async (page) => {
        await open(page, '/admin/subscriptions/topics/new');
        await page.getByLabel('Name').fill('Officer wellness');
        await page.getByLabel('Description').fill('Health and resilience resources for officers.');
        await page.getByLabel('Frequency').selectOption('quarterly');
        // USWDS draws its own radio over the visually hidden input: people click the label.
        await page.locator('label', { hasText: 'Private — staff and imports only' }).click();
        expect(await submit(page, page.getByRole('button', { name: 'Add topic' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Topic added.');
        await page.getByRole('link', { name: 'Officer wellness' }).click();
        await page.waitForLoadState('load');
        expect(await heading(page)).toBe('Edit topic “Officer wellness”');
        expect(await page.getByLabel('Slug').inputValue()).toBe('officer-wellness');
        expect(await page.getByLabel('Private — staff and imports only').isChecked()).toBe(true);
      });
      await check(admin, 'topic delete refused (it has subscribers)', async (page) => {
        await open(page, '/admin/subscriptions/topics');
        await page.getByRole('link', { name: 'Events and X chats' }).click();
        await page.waitForLoadState('load');
        await page.getByRole('link', { name: 'Delete topic…' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('.usa-alert--error').textContent()).toContain('cannot be deleted');
      });
    },
    t,
  );

  it(
    'the subscribers overview with its chart (screenshot), a search and a search error',
    async () => {
      await check(admin, 'subscribers overview', async (page) => {
        await open(page, '/admin/subscribers');
        expect(await heading(page)).toBe('Subscribers');
        const chart = page.getByRole('img', { name: /Subscriber growth/ });
        expect(await chart.count()).toBe(1);
        const box = await chart.boundingBox();
        expect(box && box.width > 500 && box.height > 200, `chart box ${JSON.stringify(box)}`).toBe(true);
        expect(await page.getByRole('table', { name: /Confirmed and unsubscribed per month/ }).count()).toBe(1);
        await page.screenshot({ path: OVERVIEW_SCREENSHOT, fullPage: true });
        await chart.screenshot({ path: CHART_SCREENSHOT });
      });
      await check(admin, 'subscribers search', async (page) => {
        await open(page, '/admin/subscribers');
        await page.getByLabel('Email address').fill('PAT.Officer@EXÄMPLE.gov');
        expect(await submit(page, page.getByRole('button', { name: 'Find' }))).toBe(200);
        await page.getByRole('link', { name: 'pat.officer@xn--exmple-cua.gov' }).click();
        await page.waitForLoadState('load');
        expect(new URL(page.url()).pathname).toBe(`/admin/subscribers/${person}`);
      });
      await check(admin, 'subscribers search (error)', async (page) => {
        await open(page, '/admin/subscribers?email=pat%20%3Cofficer', 400);
        expect(await page.locator('.usa-error-message').textContent()).toContain('No stored address could start like that');
      });
    },
    t,
  );

  it(
    'a subscriber page with history, the suppress confirmation, and an unsubscribe',
    async () => {
      await check(admin, 'subscriber page', async (page) => {
        await open(page, `/admin/subscribers/${person}`);
        expect(await heading(page)).toBe('pat.officer@xn--exmple-cua.gov');
        const main = (await page.locator('main').textContent()) ?? '';
        expect(main).toContain('Written with its international domain: pat.officer@exämple.gov');
        expect(main).toContain('Note: <b>not markup</b>');
        expect(main).not.toContain('a1b2c3d4e5f6');
      });
      await check(admin, 'suppress confirmation', async (page) => {
        await open(page, `/admin/subscribers/${person}/suppress`);
        expect(await heading(page)).toBe('Suppress this address?');
      });
      await check(admin, 'subscriber unsubscribed', async (page) => {
        await open(page, `/admin/subscribers/${person}`);
        expect(await submit(page, page.getByRole('button', { name: 'Unsubscribe' }))).toBe(200);
        expect(await page.locator('.usa-alert--success').textContent()).toContain('Unsubscribed.');
        expect(await page.locator('main').textContent()).toContain('Staff: subscriptions.admin@example.gov');
      });
    },
    t,
  );
});
