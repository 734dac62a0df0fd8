import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { expect, it, onTestFinished } from 'vitest';
import { Browser, createTestApp, csrfTokenIn } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { buildApp } from '../../platform/http/app.ts';
import { createRuntime } from '../../server.ts';
import { seedInstallation } from '../../start.ts';
import { importRoutes } from './routes.ts';
import { multipartForm, staffBrowser, uploadCsv } from './test-support.ts';

const UPLOAD_PAGE = '/admin/subscribers/import';

async function testApp(handle: DatabaseHandle) {
  const test = await createTestApp(handle, { clock: new FixedClock() });
  onTestFinished(() => test.app.close());
  return test;
}

const GOOD_AND_BAD = [
  'email,topics,consent_date,source',
  'one@example.gov,events,2024-05-31,Fair',
  'two@example.gov,,,',
  'broken,,,',
  'three@example.gov,nope,,',
  'ONE@example.gov,,,',
].join('\n');

/** The text of a page without tags, for reading what a person sees. */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describeEachDatabase('subscriber import pages', ({ handle }) => {
  it('need the publish ability: signed-out people are sent to sign in, editors are refused', async () => {
    const { app, ctx } = await testApp(handle());
    const anonymous = new Browser(app);
    const signIn = await anonymous.get(UPLOAD_PAGE);
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe(`/login?next=${encodeURIComponent(UPLOAD_PAGE)}`);
    // A signed-out upload is turned away before its body is read.
    const body = multipartForm({}, { name: 'file', fileName: 'x.csv', data: Buffer.from('email\na@example.gov\n') });
    const post = await app.inject({
      method: 'POST',
      url: UPLOAD_PAGE,
      payload: body.payload,
      headers: { 'content-type': body.contentType },
    });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/login');

    const { browser: editor } = await staffBrowser(app, ctx, 'editor');
    for (const url of [UPLOAD_PAGE, '/admin/subscribers/imports', '/admin/subscribers/import/00000000-0000-4000-8000-000000000000']) {
      expect((await editor.get(url)).statusCode, url).toBe(403);
    }
    const token = csrfTokenIn((await editor.get('/account')).body);
    expect((await editor.post('/admin/subscribers/export', { _csrf: token })).statusCode).toBe(403);
    expect((await uploadCsv(editor, 'email\na@example.gov\n', { token })).statusCode).toBe(403);
    expect(await ctx.db.selectFrom('subscriber_imports').select('id').execute()).toEqual([]);
  });

  it('checks an upload, shows the report, imports the valid rows once, and says so', async () => {
    const { app, ctx } = await testApp(handle());
    const { browser } = await staffBrowser(app, ctx, 'publisher');
    const page = await browser.get(UPLOAD_PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Import subscribers</h1>');
    expect(page.body).toMatch(/<label class="usa-label" for="field-file">CSV file/);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('Check the file');
    expect(page.body).toContain('<code>editorial-partners</code>');
    expect(page.body).toContain('Export subscribers (CSV)');

    const uploaded = await uploadCsv(browser, GOOD_AND_BAD, { token: csrfTokenIn(page.body), fileName: 'C:\\lists\\spring <list>.csv' });
    expect(uploaded.statusCode).toBe(303);
    const reportUrl = uploaded.headers.location!;
    expect(reportUrl).toMatch(/^\/admin\/subscribers\/import\/[0-9a-f-]{36}$/);

    const report = await browser.get(reportUrl);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('<h1>Import report</h1>');
    const text = visible(report.body);
    expect(text).toContain('File: spring <list>.csv');
    expect(report.body).not.toContain('spring <list>');
    expect(text).toContain('Lines checked: 5 Valid: 2 Rejected: 3');
    expect(text).toContain('Line Reason 4 Enter an e-mail address like name@example.gov. 5 Unknown topic "nope". 6 Duplicate of line 2.');
    expect(text).toContain('Import the 2 valid rows');
    expect(text).toContain('Import nothing');

    const token = csrfTokenIn(report.body);
    const committed = await browser.post(`${reportUrl}/commit`, { _csrf: token });
    expect(committed.statusCode).toBe(303);
    expect(committed.headers.location).toBe(`${reportUrl}?done=imported`);
    const after = visible((await browser.get(committed.headers.location!)).body);
    expect(after).toContain('2 new subscribers (1 asked to confirm by e-mail), 0 existing subscribers given topics, 0 rows skipped.');
    expect(after).toContain('New subscribers: 2 Of them, asked to confirm: 1 Existing subscribers given topics: 0');
    expect(after).not.toContain('Import the 2 valid rows');
    const emails = await ctx.db.selectFrom('subscribers').select(['email', 'status']).orderBy('email').execute();
    expect(emails).toEqual([
      { email: 'one@example.gov', status: 'active' },
      { email: 'two@example.gov', status: 'pending' },
    ]);

    const again = await browser.post(`${reportUrl}/commit`, { _csrf: token });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This file has already been imported. Its rows cannot be imported a second time.');
    expect((await browser.post(`${reportUrl}/discard`, { _csrf: token })).statusCode).toBe(409);
    expect((await browser.get('/admin/subscribers/imports')).body).toContain('spring &lt;list>.csv');
    expect((await browser.get('/admin/subscribers/import/not-an-id')).statusCode).toBe(404);

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'subscriber_import')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['subscribers.import.checked', 'subscribers.import.imported']);
  });

  it('"Import nothing" changes no subscriber', async () => {
    const { app, ctx } = await testApp(handle());
    const { browser } = await staffBrowser(app, ctx, 'admin');
    const uploaded = await uploadCsv(browser, GOOD_AND_BAD, { token: csrfTokenIn((await browser.get(UPLOAD_PAGE)).body) });
    const reportUrl = uploaded.headers.location!;
    const discarded = await browser.post(`${reportUrl}/discard`, { _csrf: csrfTokenIn((await browser.get(reportUrl)).body) });
    expect(discarded.headers.location).toBe(`${reportUrl}?done=discarded`);
    const text = visible((await browser.get(discarded.headers.location!)).body);
    expect(text).toContain('No subscriber was added or changed.');
    expect(text).toContain('Status: Nothing imported');
    expect(await ctx.db.selectFrom('subscribers').select('id').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('subscriber_import_rows').select('email').execute()).toEqual([]);
  });

  it('shows a refused file on the form with a clear message: wrong columns, not UTF-8, no file, CSRF', async () => {
    const { app, ctx } = await testApp(handle());
    const { browser } = await staffBrowser(app, ctx, 'publisher');
    const token = csrfTokenIn((await browser.get(UPLOAD_PAGE)).body);

    const columns = await uploadCsv(browser, 'mail,list\na@example.gov,events\n', { token });
    expect(columns.statusCode).toBe(400);
    expect(columns.body).toContain('There is a problem');
    expect(visible(columns.body)).toContain('Expected: email, topics, consent_date, source');
    expect(visible(columns.body)).toContain('Found: mail, list.');
    expect(columns.body).toContain('href="#field-file"');

    const latin1 = await uploadCsv(
      browser,
      Buffer.concat([Buffer.from('email\nok@example.gov\nJos'), Buffer.from([0xe9]), Buffer.from('@example.gov\n')]),
      {
        token,
      },
    );
    expect(latin1.statusCode).toBe(400);
    expect(visible(latin1.body)).toContain('The file is not valid UTF-8 (line 3).');

    const none = await uploadCsv(browser, '', { token, fileName: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose a CSV file to check.');

    expect((await uploadCsv(browser, 'email\na@example.gov\n', {})).statusCode).toBe(403);
    expect((await uploadCsv(browser, 'email\na@example.gov\n', { token: 'forged' })).statusCode).toBe(403);
    // The token must come before the file, as the form sends it; the file is never read otherwise.
    expect((await uploadCsv(browser, 'email\na@example.gov\n', { token, fileFirst: true })).statusCode).toBe(403);
    const imports = await ctx.db.selectFrom('subscriber_imports').select('status').orderBy('created_at').execute();
    expect(imports.map((i) => i.status)).toEqual(['failed', 'failed']);
    expect(await ctx.db.selectFrom('subscriber_import_rows').select('email').execute()).toEqual([]);
  });

  it('pages the rejected lines a hundred at a time', async () => {
    const { app, ctx } = await testApp(handle());
    const { browser } = await staffBrowser(app, ctx, 'publisher');
    const lines = Array.from({ length: 250 }, (_, i) => `not-an-address-${i}`);
    const uploaded = await uploadCsv(browser, `email\nok@example.gov\n${lines.join('\n')}\n`, {
      token: csrfTokenIn((await browser.get(UPLOAD_PAGE)).body),
    });
    const reportUrl = uploaded.headers.location!;
    const first = await browser.get(reportUrl);
    expect(first.body.match(/<th scope="row">\d+<\/th>/g)).toHaveLength(100);
    expect(visible(first.body)).toContain('250 lines were rejected (page 1 of 3)');
    expect(first.body).toContain(`href="${reportUrl}?page=2"`);
    const last = await browser.get(`${reportUrl}?page=3`);
    const rows = last.body.match(/<th scope="row">(\d+)<\/th>/g) ?? [];
    expect(rows).toHaveLength(50);
    expect(rows.at(-1)).toBe('<th scope="row">252</th>');
  });

  it('exports every subscriber as a CSV download', async () => {
    const { app, ctx } = await testApp(handle());
    const { browser } = await staffBrowser(app, ctx, 'publisher');
    const token = csrfTokenIn((await browser.get(UPLOAD_PAGE)).body);
    const uploaded = await uploadCsv(browser, 'email,source\n@at@example.gov,x\n-dash@example.gov,"=1+1"\n', { token });
    const reportUrl = uploaded.headers.location!;
    await browser.post(`${reportUrl}/commit`, { _csrf: token });
    const exported = await browser.post('/admin/subscribers/export', { _csrf: token });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="subscribers-2026-01-01.csv"');
    expect(exported.headers['cache-control']).toBe('no-store');
    const records = parse(exported.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.email, r.status, r.topics, r.consent_source])).toEqual([
      ["'-dash@example.gov", 'pending', 'dispatch', "'=1+1"],
    ]);
    expect((await browser.post('/admin/subscribers/export', {})).statusCode).toBe(403);
  });
});

describeEachDatabase('subscriber import upload limit', ({ handle }) => {
  it('answers 413 with a plain message past the limit, and keeps nothing of the file', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const { ctx } = createRuntime(config, { database: handle(), logger: pino({ level: 'silent' }) });
    await seedInstallation(ctx);
    const app = await buildApp(ctx, [importRoutes({ maxUploadBytes: 64 * 1024 })]);
    onTestFinished(() => app.close());
    const { browser } = await staffBrowser(app, ctx, 'publisher');
    const token = csrfTokenIn((await browser.get(UPLOAD_PAGE)).body);
    const rows = Array.from({ length: 10_000 }, (_, i) => `reader${i}@example.gov,,,`).join('\n');
    const response = await uploadCsv(browser, `email,topics,consent_date,source\n${rows}\n`, { token });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The file is larger than 64 KB.');
    expect(await ctx.db.selectFrom('subscriber_import_rows').select('email').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('subscriber_imports').select('status').execute()).toEqual([{ status: 'failed' }]);
    // A file within the limit still goes through.
    expect((await uploadCsv(browser, 'email\nsmall@example.gov\n', { token })).statusCode).toBe(303);
  });
});
