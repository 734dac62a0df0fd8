import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_HOOK_TIMEOUT,
  BROWSER_TEST_TIMEOUT,
  check,
  chromiumMissing,
  heading,
  launchChromium,
  open,
  type RunningApp,
  startApp,
  WatchedContext,
} from '../../../test/browser/harness.ts';
import { engineAvailable, engines } from '../../../test/support/databases.ts';
import type { Campaign, CampaignSourceType } from '../../platform/db/schema.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';
import { compileAndStore, DEMO_SOURCES, insertCampaign, topicIds } from '../messages/test-support.ts';

// Every kind of campaign e-mail, as a mail client would show its HTML part, and the public archive
// pages, checked with axe (WCAG 2.1 A and AA) in Chromium, with no CSP violation or script error.

const SOURCES: { type: CampaignSourceType; id: string; subject: string }[] = [
  { type: 'article', id: DEMO_SOURCES.article, subject: 'Join our X chat on school resource officer MOUs' },
  { type: 'issue', id: DEMO_SOURCES.issue, subject: 'Community Policing Dispatch, January 2024' },
  { type: 'month', id: DEMO_SOURCES.month, subject: 'January 2024 in review' },
  { type: 'event', id: DEMO_SOURCES.event, subject: 'Reminder: #REMSChatWithAnExpert on January 22' },
];

for (const engine of engines) {
  describe.skipIf(chromiumMissing || !engineAvailable(engine))(`campaign e-mails and the bulletin archive in Chromium (${engine})`, () => {
    let running: RunningApp;
    let browser: Browser;
    let reader: WatchedContext;
    const campaigns: Campaign[] = [];

    beforeAll(async () => {
      running = await startApp({ engine });
      const { ctx } = running;
      const topics = await topicIds(ctx);
      for (const [i, source] of SOURCES.entries()) {
        const campaign = await insertCampaign(ctx, {
          sourceType: source.type,
          sourceId: source.id,
          subject: source.subject,
          topicIds: [topics.dispatch!, topics['school-safety']!],
          status: 'finished',
          startedAt: new Date(Date.UTC(2024, 0, 10 + i, 15)).toISOString(),
        });
        campaigns.push(await compileAndStore(ctx, campaign));
      }
      browser = await launchChromium();
      reader = await WatchedContext.open(browser);
    }, BROWSER_HOOK_TIMEOUT);

    afterAll(async () => {
      await reader?.close();
      await browser?.close();
      await running?.close();
    }, BROWSER_HOOK_TIMEOUT);

    it(
      'each e-mail as a subscriber receives it passes axe',
      async () => {
        const topics = await topicIds(running.ctx);
        for (const campaign of campaigns) {
          const message = (await prepareMessages(running.ctx, campaign)).render({
            subscriberId: randomUUID(),
            email: 'reader@example.gov',
            topicId: topics.dispatch!,
          });
          const mail = await simpleParser(message.raw);
          expect(typeof mail.html).toBe('string');
          await check(reader, `${campaign.source_type} e-mail`, async (page) => {
            await page.setContent(String(mail.html), { waitUntil: 'load' });
            expect(await page.locator('html').getAttribute('lang')).toBe('en');
            expect(await page.title()).toBe(campaign.subject);
            expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
            expect(await page.getByRole('link', { name: 'Unsubscribe', exact: true }).count()).toBe(1);
            expect(await page.getByRole('link', { name: 'Manage your preferences', exact: true }).count()).toBe(1);
          });
        }
      },
      BROWSER_TEST_TIMEOUT,
    );

    it(
      'the archive list and each archived bulletin pass axe',
      async () => {
        const { origin } = running;
        await check(reader, '/bulletins', async (page) => {
          await open(page, origin, '/bulletins');
          expect(await heading(page)).toBe('E-mail bulletins');
          expect(await page.getByRole('link', { name: SOURCES[0]!.subject }).count()).toBe(1);
        });
        for (const campaign of campaigns) {
          await check(reader, `/bulletins/${campaign.id}`, async (page) => {
            await open(page, origin, `/bulletins/${campaign.id}`);
            expect(await heading(page)).toBe(campaign.subject);
            expect(await page.getByRole('link', { name: 'Unsubscribe', exact: true }).getAttribute('href')).toBe(`${origin}/preferences`);
          });
        }
        await check(reader, 'an unknown bulletin', (page) => open(page, origin, '/bulletins/99999', 404));
      },
      BROWSER_TEST_TIMEOUT,
    );
  });
}
