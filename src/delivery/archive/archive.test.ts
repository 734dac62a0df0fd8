import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { CampaignSourceType, CampaignStatus } from '../../platform/db/schema.ts';
import { compileAndStore, DEMO_SOURCES, insertCampaign, topicIds } from '../messages/test-support.ts';
import { BULLETINS_PAGE_SIZE } from './list-archived-bulletins.ts';

const PUBLIC_URL = 'https://dispatch.example.gov';
const NOW = new Date('2024-03-01T12:00:00.000Z');

const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describeEachDatabase('the public bulletin archive', ({ handle }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });

  async function start() {
    running = await createTestApp(handle(), { clock: new FixedClock(NOW), env: { PUBLIC_URL } });
    return { ...running, browser: new Browser(running.app), topics: await topicIds(running.ctx) };
  }

  /** A campaign that went through a send (or not), compiled as Send compiles it. */
  async function sent(
    ctx: AppContext,
    topics: Record<string, string>,
    values: {
      sourceType: CampaignSourceType;
      sourceId: string;
      subject: string;
      status?: CampaignStatus;
      archived?: 0 | 1;
      startedAt?: string;
    },
  ) {
    const campaign = await insertCampaign(ctx, {
      ...values,
      topicIds: [topics.dispatch!],
      status: values.status ?? 'finished',
      startedAt: values.startedAt ?? '2024-01-08T15:00:00.000Z',
    });
    return compileAndStore(ctx, campaign);
  }

  it('lists finished, archived bulletins newest first, and shows one as sent with public links in place of the signed ones', async () => {
    const { ctx, browser, topics } = await start();
    const article = await sent(ctx, topics, { sourceType: 'article', sourceId: DEMO_SOURCES.article, subject: 'The MOU chat & more' });
    const digest = await sent(ctx, topics, {
      sourceType: 'month',
      sourceId: DEMO_SOURCES.month,
      subject: 'January in review',
      startedAt: '2024-02-01T14:00:00.000Z',
    });
    const hidden = await Promise.all([
      sent(ctx, topics, { sourceType: 'issue', sourceId: DEMO_SOURCES.issue, subject: 'Not archived', archived: 0 }),
      sent(ctx, topics, { sourceType: 'issue', sourceId: DEMO_SOURCES.issue, subject: 'Cancelled mid-send', status: 'cancelled' }),
      sent(ctx, topics, { sourceType: 'issue', sourceId: DEMO_SOURCES.issue, subject: 'Still sending', status: 'sending' }),
      sent(ctx, topics, { sourceType: 'issue', sourceId: DEMO_SOURCES.issue, subject: 'Paused', status: 'paused' }),
      insertCampaign(ctx, { sourceType: 'event', sourceId: DEMO_SOURCES.event, subject: 'A draft', topicIds: [topics.events!] }),
    ]);

    const list = await browser.get('/bulletins');
    expect(list.statusCode).toBe(200);
    const main = mainOf(list.body);
    expect(main).toContain('<h1>E-mail bulletins</h1>');
    expect(main.indexOf(`<a href="/bulletins/${digest.id}">January in review</a>`)).toBeGreaterThan(-1);
    expect(main.indexOf(`<a href="/bulletins/${digest.id}">`)).toBeLessThan(main.indexOf(`<a href="/bulletins/${article.id}">`));
    expect(main).toContain('The MOU chat &amp; more');
    expect(main).toContain('Monthly digest, sent <time datetime="2024-02-01T14:00:00.000Z">February 1, 2024</time>');
    for (const campaign of hidden) expect(main).not.toContain(campaign.subject);

    const page = await browser.get(`/bulletins/${article.id}`);
    expect(page.statusCode).toBe(200);
    const shown = mainOf(page.body);
    expect(shown).toContain('<h1>The MOU chat &amp; more</h1>');
    expect(shown).toContain('Bulletin, sent <time datetime="2024-01-08T15:00:00.000Z">January 8, 2024</time>');
    // The e-mail's own title sits under the page's h1; its headings moved down one level.
    expect(shown).toContain(`<h2>${DEMO_SOURCES.articleTitle}</h2>`);
    expect(shown).toContain('<h3>A conversation on X, January 22</h3>');
    expect(shown.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(shown).toContain(`<a href="${PUBLIC_URL}/preferences">Unsubscribe</a>`);
    expect(shown).toContain(`<a href="${PUBLIC_URL}/preferences">Manage your preferences</a>`);
    expect(shown).toContain(`<a href="${PUBLIC_URL}/subscribe">Subscribe to Email Updates</a>`);
    expect(shown).toContain('145 N Street, N.E.');
    expect(shown).not.toMatch(/dispatch-slot-|\/unsubscribe\/|\/preferences\/open\/|style=|<table|<!--/);
    // The preheader is for inboxes only.
    expect(shown.split('The REMS TA Center and the COPS Office host').length - 1).toBe(1);

    for (const campaign of hidden) expect((await browser.get(`/bulletins/${campaign.id}`)).statusCode, campaign.subject).toBe(404);
    expect((await browser.get('/bulletins/999999')).statusCode).toBe(404);
    for (const malformed of ['abc', '0', '01', '1.5', '-1'])
      expect((await browser.get(`/bulletins/${malformed}`)).statusCode, malformed).toBe(400);

    // The issue archive points readers to it.
    expect((await browser.get('/issues')).body).toContain('<a href="/bulletins">');
  });

  it('is cached like the other public pages, for anonymous readers', async () => {
    const { ctx, browser, topics } = await start();
    const article = await sent(ctx, topics, { sourceType: 'article', sourceId: DEMO_SOURCES.article, subject: 'Cached' });
    for (const path of ['/bulletins', `/bulletins/${article.id}`]) {
      expect((await browser.get(path)).headers['x-page-cache'], path).toBe('miss');
      const again = await browser.get(path);
      expect(again.statusCode).toBe(200);
      expect(again.headers['x-page-cache'], path).toBe('hit');
    }
  });

  it('pages the list, newest first, and a page past the last is 404', async () => {
    const { ctx, browser } = await start();
    const rows = Array.from({ length: BULLETINS_PAGE_SIZE + 1 }, (_, i) => ({
      kind: 'bulletin' as const,
      source_type: 'article' as const,
      source_id: DEMO_SOURCES.article,
      subject: `Bulletin number ${i + 1}`,
      topic_ids: '[]',
      audience_frequency: 'every' as const,
      status: 'finished' as const,
      compiled_html: '<html><body><p>Sent.</p></body></html>',
      compiled_text: 'Sent.',
      created_by: 'test',
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
      started_at: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    }));
    await ctx.db.insertInto('delivery_campaigns').values(rows).execute();

    const first = mainOf((await browser.get('/bulletins')).body);
    expect(first).toContain('Page 1 of 2, 21 bulletins in all.');
    expect(first).toContain('Bulletin number 21');
    expect(first).not.toContain('Bulletin number 1<');
    expect(first).toContain('href="/bulletins?page=2"');
    const second = await browser.get('/bulletins?page=2');
    expect(second.statusCode).toBe(200);
    expect(mainOf(second.body)).toContain('Bulletin number 1<');
    expect(second.body).toContain('<title>E-mail bulletins, page 2 of 2 |');
    expect((await browser.get('/bulletins?page=3')).statusCode).toBe(404);
    expect((await browser.get('/bulletins?page=x')).statusCode).toBe(400);
  });

  it('says so when nothing has been sent yet', async () => {
    const { browser } = await start();
    const page = await browser.get('/bulletins');
    expect(page.statusCode).toBe(200);
    expect(mainOf(page.body)).toContain('No bulletin has been sent yet.');
  });
});
