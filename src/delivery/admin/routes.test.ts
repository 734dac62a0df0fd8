import { simpleParser } from 'mailparser';
import { expect, it, onTestFinished } from 'vitest';
import { Browser, csrfTokenIn } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { startSmtpServer } from '../../../test/support/smtp-server.ts';
import type { AppContext } from '../../platform/context.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';
import { addSubscriber, campaignTestApp, signedIn, topicIdsBySlug } from '../campaigns/test-support.ts';
import { TEST_SENDS_PER_HOUR } from './routes.ts';

const CAMPAIGNS = '/admin/campaigns';

/** The error summary's entries: [field, message]. */
const summary = (html: string) =>
  [...(html.split('id="error-summary"')[1]?.split('</ul>')[0] ?? '').matchAll(/<a href="#field-([A-Za-z]+)">([^<]*)<\/a>/g)].map((m) => [
    m[1],
    m[2],
  ]);

async function campaigns(ctx: AppContext) {
  return ctx.db.selectFrom('delivery_campaigns').selectAll().orderBy('id').execute();
}

/** Creates a bulletin draft for the demo issue through the form; returns its id. */
async function newIssueBulletin(browser: Browser, issueId: string): Promise<number> {
  const created = await browser.submit(CAMPAIGNS, CAMPAIGNS, { kind: 'bulletin', bulletinSource: `issue:${issueId}` });
  expect(created.statusCode).toBe(303);
  const match = /^\/admin\/campaigns\/(\d+)\?notice=created$/.exec(String(created.headers.location));
  expect(match).not.toBeNull();
  return Number(match![1]);
}

describeEachDatabase('campaign admin routes', ({ handle }) => {
  it('keeps the whole area to publishers and administrators with a second factor', async () => {
    const { app, ctx, ids } = await campaignTestApp(handle());
    const publisher = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    const id = await newIssueBulletin(publisher.browser, ids.issue);
    const pages = [
      CAMPAIGNS,
      `${CAMPAIGNS}/${id}`,
      `${CAMPAIGNS}/${id}/report`,
      `${CAMPAIGNS}/${id}/send`,
      `${CAMPAIGNS}/${id}/progress.json`,
    ];

    const anonymous = new Browser(app);
    for (const page of pages) {
      const response = await anonymous.get(page);
      expect(response.statusCode, page).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(page)}`);
    }
    const editor = await signedIn(app, ctx, 'editor', { secondFactor: false });
    for (const page of pages) expect((await editor.browser.get(page)).statusCode, page).toBe(403);
    const noSecondFactor = await signedIn(app, ctx, 'publisher', { secondFactor: false });
    for (const page of pages) {
      const response = await noSecondFactor.browser.get(page);
      expect(response.statusCode, page).toBe(303);
      expect(response.headers.location).toBe('/account/second-factor');
    }
    // Posts are refused outright, whatever token they carry.
    const token = csrfTokenIn((await noSecondFactor.browser.get('/account')).body);
    for (const action of ['send', 'update', 'test', 'schedule', 'cancel']) {
      expect((await noSecondFactor.browser.post(`${CAMPAIGNS}/${id}/${action}`, { _csrf: token, subject: 'x' })).statusCode).toBe(403);
    }
    const editorToken = csrfTokenIn((await editor.browser.get('/account')).body);
    expect((await editor.browser.post(`${CAMPAIGNS}/${id}/send`, { _csrf: editorToken })).statusCode).toBe(403);
    expect((await getCampaign(ctx, id)).status).toBe('draft');

    for (const page of pages) expect((await publisher.browser.get(page)).statusCode, page).toBe(200);
    const admin = await signedIn(app, ctx, 'admin', { secondFactor: true });
    expect((await admin.browser.get(`${CAMPAIGNS}/${id}`)).statusCode).toBe(200);
    expect((await publisher.browser.get(`${CAMPAIGNS}/999999`)).statusCode).toBe(404);
    expect((await publisher.browser.get(`${CAMPAIGNS}/not-a-number`)).statusCode).toBe(404);
  });

  it('refuses a post without the CSRF token and changes nothing', async () => {
    const { app, ctx, ids } = await campaignTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    expect((await browser.post(CAMPAIGNS, { kind: 'bulletin', bulletinSource: `issue:${ids.issue}` })).statusCode).toBe(403);
    expect(await campaigns(ctx)).toEqual([]);
    const id = await newIssueBulletin(browser, ids.issue);
    expect((await browser.post(`${CAMPAIGNS}/${id}/send`, { _csrf: 'forged' })).statusCode).toBe(403);
    expect((await getCampaign(ctx, id)).status).toBe('draft');
  });

  it('creates, edits with field errors, confirms the recipient count, sends once and answers a second send with 409', async () => {
    const { app, ctx, ids } = await campaignTestApp(handle());
    const topics = await topicIdsBySlug(ctx.db);
    await addSubscriber(ctx.db, { email: 'one@example.gov', topics: [{ id: topics.dispatch! }] });
    await addSubscriber(ctx.db, { email: 'two@example.gov', topics: [{ id: topics.dispatch! }, { id: topics.grants! }] });
    await addSubscriber(ctx.db, { email: 'digest@example.gov', topics: [{ id: topics.dispatch!, frequency: 'digest' }] });
    const { browser } = await signedIn(app, ctx, 'publisher', { secondFactor: true });

    const list = await browser.get(CAMPAIGNS);
    expect(list.body).toContain(`value="issue:${ids.issue}"`);
    expect(list.body).toContain(`value="article:${ids.article}"`);
    expect(list.body).toContain(`value="event:${ids.event}"`);
    const refused = await browser.submit(CAMPAIGNS, CAMPAIGNS, { kind: 'reminder', reminderSource: `issue:${ids.issue}` });
    expect(refused.statusCode).toBe(400);
    expect(summary(refused.body)).toEqual([['reminderSource', 'Choose an upcoming event.']]);

    const id = await newIssueBulletin(browser, ids.issue);
    const page = await browser.get(`${CAMPAIGNS}/${id}?notice=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Draft created.');
    expect(page.body).toContain(`href="${CAMPAIGNS}/${id}/send"`);
    expect(page.body).toContain(`href="${CAMPAIGNS}/${id}/preview"`);
    expect(page.body).toContain(`value="${topics.dispatch}" checked`);

    const before = await getCampaign(ctx, id);
    const invalid = await browser.submit(`${CAMPAIGNS}/${id}`, `${CAMPAIGNS}/${id}/update`, { subject: '', archived: 'on' });
    expect(invalid.statusCode).toBe(400);
    expect(summary(invalid.body)).toEqual([
      ['subject', 'Enter a subject.'],
      ['topics', 'Choose at least one topic: its subscribers are the campaign’s audience.'],
    ]);
    expect(await getCampaign(ctx, id)).toEqual(before);

    const saved = await browser.request({
      method: 'POST',
      url: `${CAMPAIGNS}/${id}/update`,
      payload: new URLSearchParams([
        ['_csrf', csrfTokenIn((await browser.get(`${CAMPAIGNS}/${id}`)).body)],
        ['subject', 'The January issue'],
        ['topics', topics.dispatch!],
        ['topics', topics.grants!],
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${CAMPAIGNS}/${id}?notice=saved`);
    expect(await getCampaign(ctx, id)).toMatchObject({ subject: 'The January issue', archived: 0 });

    const badSchedule = await browser.submit(`${CAMPAIGNS}/${id}`, `${CAMPAIGNS}/${id}/schedule`, {
      scheduleDate: '2024-01-09',
      scheduleTime: '09:00',
    });
    expect(badSchedule.statusCode).toBe(400);
    expect(summary(badSchedule.body)).toEqual([['scheduleDate', 'Choose a time in the future. To send at once, use “Send now”.']]);
    expect(badSchedule.body).toContain('value="2024-01-09"');

    const confirm = await browser.get(`${CAMPAIGNS}/${id}/send`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Send to 2 subscribers');

    const sent = await browser.submit(`${CAMPAIGNS}/${id}/send`, `${CAMPAIGNS}/${id}/send`, {});
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${CAMPAIGNS}/${id}?notice=started#progress`);
    expect((await getCampaign(ctx, id)).status).toBe('queued');

    const twice = await browser.submit(`${CAMPAIGNS}/${id}`, `${CAMPAIGNS}/${id}/send`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('This campaign was already started');
    expect(twice.body).toContain(`href="${CAMPAIGNS}/${id}"`);
    expect((await browser.get(`${CAMPAIGNS}/${id}/send`)).statusCode).toBe(409);
    const edit = await browser.submit(`${CAMPAIGNS}/${id}`, `${CAMPAIGNS}/${id}/update`, { subject: 'Too late', topics: topics.dispatch! });
    expect(edit.statusCode).toBe(409);
    expect((await getCampaign(ctx, id)).subject).toBe('The January issue');

    const started = await browser.get(`${CAMPAIGNS}/${id}`);
    expect(started.body).toContain('id="progress"');
    expect(started.body).toContain('Refresh progress');
    expect(started.body).not.toContain('http-equiv="refresh"');
    const json = await browser.get(`${CAMPAIGNS}/${id}/progress.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.body)).toMatchObject({ status: 'queued', finished: false, text: { status: 'Starting' } });

    const cancelPage = await browser.get(`${CAMPAIGNS}/${id}/cancel`);
    expect(cancelPage.statusCode).toBe(200);
    const cancelled = await browser.submit(`${CAMPAIGNS}/${id}/cancel`, `${CAMPAIGNS}/${id}/cancel`, {});
    expect(cancelled.statusCode).toBe(303);
    expect((await getCampaign(ctx, id)).status).toBe('cancelled');
    expect((await browser.get(`${CAMPAIGNS}/${id}/cancel`)).statusCode).toBe(409);
    const resume = await browser.submit(`${CAMPAIGNS}/${id}`, `${CAMPAIGNS}/${id}/resume`, {});
    expect(resume.statusCode).toBe(409);
  });

  it('previews the e-mail as it is built and sends a test through the bulk relay over SMTP', async () => {
    const sink = await startSmtpServer();
    onTestFinished(() => sink.close());
    const { app, ctx, ids } = await campaignTestApp(handle(), { env: { BULK_SMTP_URL: `smtp://127.0.0.1:${sink.port}` } });
    const { browser } = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    const id = await newIssueBulletin(browser, ids.issue);

    const preview = await browser.get(`${CAMPAIGNS}/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(preview.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(preview.body).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    expect(preview.body).toMatch(/<html[^>]* lang="en"/);
    const text = await browser.get(`${CAMPAIGNS}/${id}/preview.txt`);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.body).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    // Previewing compiles nothing into the campaign: the send does that, once.
    expect((await getCampaign(ctx, id)).compiled_html).toBeNull();

    const token = csrfTokenIn((await browser.get(`${CAMPAIGNS}/${id}`)).body);
    const sent = await browser.post(`${CAMPAIGNS}/${id}/test`, { _csrf: token, testAddresses: 'Editor@Example.gov' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${CAMPAIGNS}/${id}?notice=test-sent`);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.rcpt).toEqual(['editor@example.gov']);
    const mail = await simpleParser(sink.received[0]!.raw);
    expect(mail.subject).toMatch(/^\[Test\] /);
    expect(mail.html).toContain('Join an X Chat on Building a Strong School Resource Officer MOU');
    expect((await getCampaign(ctx, id)).status).toBe('draft');
  });

  it('checks test addresses and limits test sends per person', async () => {
    const { app, ctx, ids } = await campaignTestApp(handle());
    const { browser } = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    const id = await newIssueBulletin(browser, ids.issue);
    const token = csrfTokenIn((await browser.get(`${CAMPAIGNS}/${id}`)).body);
    for (let i = 0; i < TEST_SENDS_PER_HOUR; i++) {
      const response = await browser.post(`${CAMPAIGNS}/${id}/test`, { _csrf: token, testAddresses: 'nobody at example.gov' });
      expect(response.statusCode).toBe(400);
      expect(summary(response.body)[0]?.[0]).toBe('testAddresses');
    }
    expect((await browser.post(`${CAMPAIGNS}/${id}/test`, { _csrf: token, testAddresses: 'a@example.gov' })).statusCode).toBe(429);
    // Another publisher has an allowance of their own.
    const other = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    const otherToken = csrfTokenIn((await other.browser.get(`${CAMPAIGNS}/${id}`)).body);
    expect((await other.browser.post(`${CAMPAIGNS}/${id}/test`, { _csrf: otherToken, testAddresses: '' })).statusCode).toBe(400);
  });

  it('offers "Send as bulletin" on published issues and articles to publishers only', async () => {
    const { app, ctx, ids } = await campaignTestApp(handle());
    const publisher = await signedIn(app, ctx, 'publisher', { secondFactor: true });
    const editor = await signedIn(app, ctx, 'editor', { secondFactor: false });
    for (const [path, value] of [
      [`/admin/issues/${ids.issue}`, `issue:${ids.issue}`],
      [`/admin/articles/${ids.article}`, `article:${ids.article}`],
    ] as const) {
      expect((await publisher.browser.get(path)).body).toContain(`name="bulletinSource" value="${value}"`);
      expect((await editor.browser.get(path)).body).not.toContain('name="bulletinSource"');
    }
    const created = await publisher.browser.submit(`/admin/articles/${ids.article}`, CAMPAIGNS, {
      kind: 'bulletin',
      bulletinSource: `article:${ids.article}`,
    });
    expect(created.statusCode).toBe(303);
    expect((await campaigns(ctx)).map((c) => c.source_id)).toEqual([ids.article]);
  });
});
