import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp, csrfTokenIn, type TestApp, withoutPerRequestSecrets } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { hashToken } from '../../platform/auth/tokens.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { defaultSiteSettings, saveSiteSettings } from '../../platform/settings/site-settings.ts';
import { emailHash, signSubscriberLink, subscriberLinks } from '../keys.ts';
import { suppressionOf } from '../suppression.ts';
import { SIGN_IN_LINK_TTL_MS, SUBSCRIBER_SESSION_TTL_MS } from './access-tokens.ts';
import { PREFERENCES_LINK_REQUESTS_PER_HOUR, PREFERENCES_SIGN_INS_PER_15_MINUTES } from './routes.ts';
import { PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR, sendPreferencesLink } from './send-preferences-link.ts';
import {
  countChanges,
  eventsOf,
  everyRow,
  mailTo,
  membershipsOf,
  pathOf,
  rowCounts,
  runQueuedJobs,
  seedSubscriber,
  signInLinkTo,
  subscriberState,
  topicId,
} from './test-support.ts';

const START = new Date('2026-06-01T09:00:00.000Z');
const FROM = 'Dispatch subscriptions <subscriptions@example.gov>';

/** Posts a form whose fields may repeat (checkbox groups), with the CSRF token of `formPage`. */
async function postForm(browser: Browser, formPage: string, action: string, entries: Array<[string, string]>) {
  const page = await browser.get(formPage);
  const body = new URLSearchParams([['_csrf', csrfTokenIn(page.body)], ...entries]);
  return browser.request({
    method: 'POST',
    url: action,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

describeEachDatabase('subscription preferences by e-mail', ({ handle }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });

  let ipCounter = 0;
  const browserOf = (app: TestApp['app']) => {
    const browser = new Browser(app);
    ipCounter += 1;
    browser.ip = `198.51.100.${ipCounter % 250}`;
    return browser;
  };

  const start = async (env: Record<string, string> = {}) => {
    const clock = new FixedClock(START);
    running = await createTestApp(handle(), { clock, env: { PUBLIC_URL: 'https://dispatch.example.gov', ...env } });
    await saveSiteSettings(running.ctx.db, clock, { ...defaultSiteSettings, transactionalFrom: FROM });
    return { ...running, clock };
  };

  /** Asks for a link as a person would, runs the job, and signs in with the mailed link. */
  const signInAs = async (app: TestApp['app'], ctx: AppContext, email: string) => {
    const browser = browserOf(app);
    expect((await browser.submit('/preferences', '/preferences', { email })).statusCode).toBe(200);
    await runQueuedJobs(ctx);
    const link = pathOf(await signInLinkTo(ctx, email));
    const opened = await browser.submit(link, link, {});
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe('/preferences/manage');
    return browser;
  };

  it('shows the address form with its label, button and CSRF token', async () => {
    const { app } = await start();
    const page = await browserOf(app).get('/preferences');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const main = mainOf(page.body);
    expect(main).toContain('<h1>Manage your subscription</h1>');
    expect(main).toMatch(/<label class="usa-label" for="field-email">Email address<\/label>/);
    expect(main).toMatch(/<input[^>]*name="email"[^>]*type="email"/);
    expect(main).toContain('name="_csrf"');
    expect(main).toMatch(/<button type="submit"[^>]*>Email me a link<\/button>/);
  });

  it('refuses a malformed address with 400 and a message at the field, queuing nothing', async () => {
    const { app, ctx } = await start();
    const before = await rowCounts(ctx);
    const response = await browserOf(app).submit('/preferences', '/preferences', { email: 'pat at example' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="error-summary"');
    expect(response.body).toContain('<a href="#field-email">Enter an e-mail address like name@example.gov.</a>');
    expect(response.body).toContain('value="pat at example"');
    expect(countChanges(before, await rowCounts(ctx))).toEqual({ rate_limits: 1 });
  });

  it('answers the same status and body, writing the same rows, for subscribers, strangers, the unsubscribed, the deleted and the suppressed', async () => {
    const { app, ctx } = await start();
    await seedSubscriber(ctx, { email: 'active@example.gov', topics: ['dispatch'] });
    await seedSubscriber(ctx, { email: 'gone@example.gov', status: 'unsubscribed', topics: ['dispatch'] });
    await seedSubscriber(ctx, { email: 'bounced@example.gov', topics: ['dispatch'] });
    await ctx.db
      .insertInto('subscriber_suppressions')
      .values({ email_hash: emailHash(ctx.config.secret, 'bounced@example.gov'), reason: 'hard_bounce', created_at: START.toISOString() })
      .execute();
    const deleted = await signInAs(app, ctx, await seedDeletable(ctx));
    expect((await deleted.submit('/preferences/manage', '/preferences/manage/delete', { 'confirm-delete': 'on' })).statusCode).toBe(303);
    await ctx.db.deleteFrom('dev_mail').execute();
    await runQueuedJobs(ctx);

    const answers: Array<{ status: number; body: string; type: unknown; wrote: Record<string, number> }> = [];
    for (const email of ['active@example.gov', 'stranger@example.gov', 'gone@example.gov', 'deleted@example.gov', 'bounced@example.gov']) {
      const browser = browserOf(app);
      const form = await browser.get('/preferences');
      const before = await rowCounts(ctx);
      const response = await browser.post('/preferences', { _csrf: csrfTokenIn(form.body), email });
      const wrote = countChanges(before, await rowCounts(ctx));
      answers.push({
        status: response.statusCode,
        body: withoutPerRequestSecrets(response.body),
        type: response.headers['content-type'],
        wrote,
      });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(200);
    expect(answers[0]?.body).toContain('<h1>Check your email</h1>');
    // One rate-limit window for the new client address and one queued job: nothing that depends on the address.
    expect(answers[0]?.wrote).toEqual({ jobs: 1, rate_limits: 1 });

    // The job then mails the subscribers only (any status), never the stranger, the deleted or the suppressed.
    expect(await runQueuedJobs(ctx)).toBe(5);
    const recipients = (await ctx.db.selectFrom('dev_mail').select('recipients').execute()).map((r) => r.recipients).sort();
    expect(recipients).toEqual(['active@example.gov', 'gone@example.gov']);
  });

  /** A subscriber for the deletion case of the enumeration test. */
  async function seedDeletable(ctx: AppContext) {
    await seedSubscriber(ctx, { email: 'deleted@example.gov', topics: ['dispatch'] });
    return 'deleted@example.gov';
  }

  it('mails a sign-in link that expires in ten minutes, works once and is stored only as a hash', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    await browserOf(app).submit('/preferences', '/preferences', { email: '  Pat@Example.GOV ' });
    expect(await ctx.db.selectFrom('dev_mail').select('id').execute()).toEqual([]);
    await runQueuedJobs(ctx);

    const [mail] = await mailTo(ctx, 'pat@example.gov');
    if (!mail) throw new Error('no mail');
    expect(mail.from).toBe('"Dispatch subscriptions" <subscriptions@example.gov>');
    expect(mail.subject).toBe('Your link to manage your Community Policing Dispatch subscription');
    const link = await signInLinkTo(ctx, 'pat@example.gov');
    expect(link.startsWith('https://dispatch.example.gov/preferences/sign-in/')).toBe(true);
    const token = link.split('/').at(-1) as string;
    // 43 base64url characters: 256 random bits, well above the 128 asked for.
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(mail.text).toContain('The link expires in 10 minutes and can be used once.');
    expect(mail.text).toContain('145 N Street, N.E.');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('The link expires in 10 minutes and can be used once.');
    expect(mail.html).toContain('<address');
    // Transactional: no list to leave.
    expect(mail.headers.map(([name]) => name.toLowerCase())).not.toContain('list-unsubscribe');

    const rows = await ctx.db.selectFrom('subscriber_access_tokens').selectAll().execute();
    expect(rows).toEqual([
      {
        token_hash: hashToken(token),
        subscriber_id: id,
        purpose: 'sign_in',
        created_at: START.toISOString(),
        expires_at: new Date(START.getTime() + SIGN_IN_LINK_TTL_MS).toISOString(),
        used_at: null,
      },
    ]);
    // No table anywhere holds the token itself (the mail in the dev mailbox is the outside world).
    for (const [table, rows] of Object.entries(await everyRow(ctx))) if (table !== 'dev_mail') expect(rows, table).not.toContain(token);
    expect(await eventsOf(ctx, id)).toEqual([{ kind: 'preferences_link_sent', actor: 'system', details: {} }]);

    // Opening the link changes nothing; Continue spends it.
    const browser = browserOf(app);
    const before = await subscriberState(ctx);
    const page = await browser.get(pathOf(link));
    expect(page.statusCode).toBe(200);
    expect(mainOf(page.body)).toContain('<h1>Open your subscription preferences</h1>');
    expect(page.body).toMatch(new RegExp(`<form[^>]*method="post" action="/preferences/sign-in/${token}"`));
    expect(page.body).toMatch(/<button type="submit"[^>]*>Continue<\/button>/);
    expect(await subscriberState(ctx)).toEqual(before);

    const first = await browser.submit(pathOf(link), pathOf(link), {});
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/preferences/manage');
    const cookie = String(first.headers['set-cookie'])
      .split(/,(?=\s*\w+=)/)
      .find((c) => c.includes('dispatch_subscriber='));
    expect(cookie).toMatch(/^__Host-dispatch_subscriber=[A-Za-z0-9_-]{43}; Max-Age=1800; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const used = await ctx.db.selectFrom('subscriber_access_tokens').selectAll().where('purpose', '=', 'sign_in').executeTakeFirstOrThrow();
    expect(used.used_at).toBe(START.toISOString());

    // A second use, from this browser or another, fails; so does opening it again.
    const again = await browser.submit('/preferences', pathOf(link), {});
    expect(again.statusCode).toBe(404);
    expect(mainOf(again.body)).toContain('<h1>This link is not valid</h1>');
    const elsewhere = await browserOf(app).submit('/preferences', pathOf(link), {});
    expect(elsewhere.statusCode).toBe(404);
    expect((await browser.get(pathOf(link))).statusCode).toBe(404);
    expect(await ctx.db.selectFrom('subscriber_access_tokens').select('purpose').where('purpose', '=', 'session').execute()).toHaveLength(
      1,
    );
  });

  it('lets a sign-in link work until ten minutes have passed, and not at ten minutes', async () => {
    const { app, ctx, clock } = await start();
    await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    await browserOf(app).submit('/preferences', '/preferences', { email: 'pat@example.gov' });
    await runQueuedJobs(ctx);
    const link = pathOf(await signInLinkTo(ctx, 'pat@example.gov'));
    const browser = browserOf(app);

    clock.advance(SIGN_IN_LINK_TTL_MS - 1);
    expect((await browser.get(link)).statusCode).toBe(200);
    clock.advance(1);
    const expired = await browser.get(link);
    expect(expired.statusCode).toBe(404);
    // The page does not say why: an expired link gets exactly the answer of one that never existed.
    const unknown = await browser.get(`/preferences/sign-in/${'A'.repeat(43)}`);
    expect(withoutPerRequestSecrets(expired.body)).toBe(withoutPerRequestSecrets(unknown.body));
    expect(mainOf(expired.body)).toContain('<h1>This link is not valid</h1>');
    expect((await browser.submit('/preferences', link, {})).statusCode).toBe(404);
    expect(await ctx.db.selectFrom('subscriber_access_tokens').select('token_hash').where('purpose', '=', 'session').execute()).toEqual([]);
  });

  it('keeps a preferences session for thirty minutes, then sends the person back for a new link', async () => {
    const { app, ctx, clock } = await start();
    await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    const session = await ctx.db
      .selectFrom('subscriber_access_tokens')
      .selectAll()
      .where('purpose', '=', 'session')
      .executeTakeFirstOrThrow();
    expect(session.expires_at).toBe(new Date(START.getTime() + SUBSCRIBER_SESSION_TTL_MS).toISOString());

    clock.advance(SUBSCRIBER_SESSION_TTL_MS - 1);
    const page = await browser.get('/preferences/manage');
    expect(page.statusCode).toBe(200);
    expect(mainOf(page.body)).toContain('<h1>Your subscription</h1>');
    clock.advance(1);
    const late = await browser.get('/preferences/manage');
    expect(late.statusCode).toBe(303);
    expect(late.headers.location).toBe('/preferences?notice=expired');
    expect((await browser.get('/preferences?notice=expired')).body).toContain('Your link has expired; enter your address to get a new one');
    // A form posted from the stale page is sent the same way and changes nothing.
    const before = await subscriberState(ctx);
    const posted = await browser.submit('/preferences', '/preferences/manage/pause', {});
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/preferences?notice=expired');
    expect(await subscriberState(ctx)).toEqual(before);
  });

  it('uses a plain cookie name over http (a local demo), still HttpOnly and SameSite=Lax', async () => {
    const { app, ctx } = await start({ PUBLIC_URL: 'http://localhost:3000' });
    await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    await browserOf(app).submit('/preferences', '/preferences', { email: 'pat@example.gov' });
    await runQueuedJobs(ctx);
    const link = pathOf(await signInLinkTo(ctx, 'pat@example.gov'));
    const opened = await browserOf(app).submit(link, link, {});
    const cookie = String(opened.headers['set-cookie'])
      .split(/,(?=\s*\w+=)/)
      .find((c) => c.includes('dispatch_subscriber='));
    expect(cookie).toMatch(/^dispatch_subscriber=[A-Za-z0-9_-]{43}; Max-Age=1800; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it(`mails at most ${PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR} links an hour to one address, counted under its keyed hash`, async () => {
    const { app, ctx, clock } = await start();
    await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    for (let i = 0; i < PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR + 2; i++) {
      expect((await browserOf(app).submit('/preferences', '/preferences', { email: 'pat@example.gov' })).statusCode).toBe(200);
    }
    await runQueuedJobs(ctx);
    expect(await mailTo(ctx, 'pat@example.gov')).toHaveLength(PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR);
    const keys = (await ctx.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    expect(keys).toContain(`preferences-link:${emailHash(ctx.config.secret, 'pat@example.gov')}`);
    expect(keys.join(' ')).not.toContain('pat@');

    clock.advance(60 * 60 * 1000);
    expect(await sendPreferencesLink(ctx, { email: 'pat@example.gov' })).toBe('sent');
    expect(await mailTo(ctx, 'pat@example.gov')).toHaveLength(PREFERENCES_LINKS_PER_ADDRESS_PER_HOUR + 1);
    // A payload that is not an address does nothing.
    expect(await sendPreferencesLink(ctx, { email: 'nope' })).toBe('invalid');
    expect(await sendPreferencesLink(ctx, null)).toBe('invalid');
  });

  it(`accepts ${PREFERENCES_LINK_REQUESTS_PER_HOUR} link requests an hour from one client address and refuses the next`, async () => {
    const { app } = await start();
    const browser = browserOf(app);
    for (let i = 1; i <= PREFERENCES_LINK_REQUESTS_PER_HOUR; i++) {
      expect((await browser.submit('/preferences', '/preferences', { email: `p${i}@example.gov` })).statusCode, `request ${i}`).toBe(200);
    }
    const over = await browser.submit('/preferences', '/preferences', { email: 'one.more@example.gov' });
    expect(over.statusCode).toBe(429);
    // Another client address is not affected.
    expect((await browserOf(app).submit('/preferences', '/preferences', { email: 'p@example.gov' })).statusCode).toBe(200);
  });

  it(`accepts ${PREFERENCES_SIGN_INS_PER_15_MINUTES} sign-in attempts per 15 minutes from one client address and refuses the next`, async () => {
    const { app } = await start();
    const browser = browserOf(app);
    const junk = `/preferences/sign-in/${'A'.repeat(43)}`;
    for (let i = 1; i <= PREFERENCES_SIGN_INS_PER_15_MINUTES; i++) {
      expect((await browser.submit('/preferences', junk, {})).statusCode, `attempt ${i}`).toBe(404);
    }
    expect((await browser.submit('/preferences', junk, {})).statusCode).toBe(429);
  });

  it('changes topics and frequencies, and never adds or removes a private list whatever is posted', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'school-safety', 'editorial-partners'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    const dispatch = await topicId(ctx, 'dispatch');
    const events = await topicId(ctx, 'events');
    const grants = await topicId(ctx, 'grants');
    const partners = await topicId(ctx, 'editorial-partners');

    const page = await browser.get('/preferences/manage');
    const main = mainOf(page.body);
    expect(main).toContain('pat@example.gov');
    expect(main).toContain('Active.');
    for (const topic of [dispatch, events, grants]) {
      expect(main).toMatch(
        new RegExp(`<input class="usa-checkbox__input" id="topic-${topic}" type="checkbox" name="topics" value="${topic}"`),
      );
      expect(main).toContain(`name="frequency-${topic}" value="every"`);
      expect(main).toContain(`name="frequency-${topic}" value="digest"`);
    }
    expect(main).toContain('>Every bulletin</label>');
    expect(main).toContain('>Monthly digest</label>');
    expect(main).toContain('<legend class="usa-legend margin-top-1">How often');
    // The private list is shown by name only: no control carries its id.
    expect(main).toContain('<li>Editorial partners (internal)</li>');
    expect(main).not.toContain(partners);

    // Keep the Dispatch as a digest, leave school safety, add events; the private id posted is ignored.
    const saved = await postForm(browser, '/preferences/manage', '/preferences/manage/topics', [
      ['topics', dispatch],
      ['topics', events],
      ['topics', partners],
      [`frequency-${dispatch}`, 'digest'],
      [`frequency-${events}`, 'every'],
      [`frequency-${partners}`, 'digest'],
    ]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/preferences/manage?notice=saved');
    expect(mainOf((await browser.get('/preferences/manage?notice=saved')).body)).toContain('Your preferences have been saved.');
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:digest', 'editorial-partners:every', 'events:every']);
    const changed = (await eventsOf(ctx, id)).filter((e) => e.kind === 'topics_changed');
    expect(changed).toEqual([
      {
        kind: 'topics_changed',
        actor: 'subscriber',
        details: { added: ['events'], removed: ['school-safety'], frequency: { events: 'every', dispatch: 'digest' } },
      },
    ]);

    // Unticking everything leaves the private list alone.
    expect((await postForm(browser, '/preferences/manage', '/preferences/manage/topics', [])).statusCode).toBe(303);
    expect(await membershipsOf(ctx, id)).toEqual(['editorial-partners:every']);

    // Someone not on the private list cannot join it by posting its id.
    const otherId = await seedSubscriber(ctx, { email: 'sam@example.gov', topics: ['dispatch'] });
    const other = await signInAs(app, ctx, 'sam@example.gov');
    await postForm(other, '/preferences/manage', '/preferences/manage/topics', [
      ['topics', partners],
      ['topics', dispatch],
      ['topics', 'not-a-topic'],
    ]);
    expect(await membershipsOf(ctx, otherId)).toEqual(['dispatch:every']);
    // Saving without a change records nothing.
    expect((await eventsOf(ctx, otherId)).map((e) => e.kind)).toEqual(['preferences_link_sent']);
  });

  it('pauses and resumes keeping the topics, unsubscribes from everything, and records each change', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'grants'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    const statusOf = async () =>
      ctx.db.selectFrom('subscribers').select(['status', 'unsubscribed_at']).where('id', '=', id).executeTakeFirstOrThrow();

    expect(mainOf((await browser.get('/preferences/manage')).body)).toMatch(/<button[^>]*>Pause all email<\/button>/);
    const paused = await browser.submit('/preferences/manage', '/preferences/manage/pause', {});
    expect(paused.headers.location).toBe('/preferences/manage?notice=paused');
    expect(await statusOf()).toEqual({ status: 'paused', unsubscribed_at: null });
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every', 'grants:every']);
    const pausedPage = mainOf((await browser.get('/preferences/manage?notice=paused')).body);
    expect(pausedPage).toContain('Your email is paused.');
    expect(pausedPage).toContain('Paused.');
    expect(pausedPage).toMatch(/<button[^>]*>Resume email<\/button>/);
    expect(pausedPage).not.toMatch(/>Pause all email<\/button>/);

    const resumed = await browser.submit('/preferences/manage', '/preferences/manage/resume', {});
    expect(resumed.headers.location).toBe('/preferences/manage?notice=resumed');
    expect(await statusOf()).toEqual({ status: 'active', unsubscribed_at: null });

    const left = await browser.submit('/preferences/manage', '/preferences/manage/unsubscribe', {});
    expect(left.headers.location).toBe('/preferences/manage?notice=unsubscribed');
    expect(await statusOf()).toEqual({ status: 'unsubscribed', unsubscribed_at: START.toISOString() });
    // Memberships are kept for history and counts.
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every', 'grants:every']);
    const unsubscribedPage = mainOf((await browser.get('/preferences/manage?notice=unsubscribed')).body);
    expect(unsubscribedPage).toContain('You are unsubscribed from everything.');
    expect(unsubscribedPage).not.toMatch(/>Unsubscribe from everything<\/button>/);
    // A repeat changes nothing and records nothing.
    await browser.submit('/preferences/manage', '/preferences/manage/unsubscribe', {});

    // Confirmed before, so "Resume email" brings the subscription back.
    await browser.submit('/preferences/manage', '/preferences/manage/resume', {});
    expect(await statusOf()).toEqual({ status: 'active', unsubscribed_at: null });

    expect((await eventsOf(ctx, id)).map((e) => `${e.kind}:${e.actor}`)).toEqual([
      'preferences_link_sent:system',
      'paused:subscriber',
      'resumed:subscriber',
      'unsubscribed:subscriber',
      'resumed:subscriber',
    ]);
  });

  it('lets a pending subscriber choose topics but says they must confirm, and offers no pause', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'new@example.gov', status: 'pending', topics: ['dispatch'] });
    const browser = await signInAs(app, ctx, 'new@example.gov');
    const main = mainOf((await browser.get('/preferences/manage')).body);
    expect(main).toContain('You still need to confirm your subscription');
    expect(main).toContain('Waiting for your confirmation.');
    expect(main).not.toMatch(/>Pause all email<\/button>/);
    expect(main).not.toMatch(/>Resume email<\/button>/);

    await postForm(browser, '/preferences/manage', '/preferences/manage/topics', [
      ['topics', await topicId(ctx, 'dispatch')],
      ['topics', await topicId(ctx, 'grants')],
    ]);
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every', 'grants:every']);
    // Still pending: choosing topics is not a confirmation.
    const row = await ctx.db.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    // Pausing (and resuming) would skip the confirmation, so a crafted post is refused.
    expect((await browser.submit('/preferences/manage', '/preferences/manage/pause', {})).statusCode).toBe(409);
    expect((await browser.submit('/preferences/manage', '/preferences/manage/resume', {})).statusCode).toBe(409);
    expect((await ctx.db.selectFrom('subscribers').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('pending');
  });

  it("downloads exactly this subscriber's data as a JSON attachment and records the export", async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'editorial-partners'], frequency: 'digest' });
    const otherId = await seedSubscriber(ctx, { email: 'sam@example.gov', topics: ['grants'] });
    const other = await signInAs(app, ctx, 'sam@example.gov');
    await other.submit('/preferences/manage', '/preferences/manage/pause', {});
    const browser = await signInAs(app, ctx, 'pat@example.gov');

    const response = await browser.submit('/preferences/manage', '/preferences/manage/export', {});
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="dispatch-subscriber-data.json"');
    expect(response.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(response.body);
    expect(data).toEqual({
      exportedAt: START.toISOString(),
      subscriber: {
        id,
        email: 'pat@example.gov',
        status: 'active',
        createdAt: START.toISOString(),
        updatedAt: START.toISOString(),
        confirmedAt: START.toISOString(),
        unsubscribedAt: null,
      },
      consent: { at: START.toISOString(), source: 'test seed', ipHash: 'f'.repeat(32), userAgent: 'Seed/1.0' },
      subscriptions: [
        { topic: 'Community Policing Dispatch', topicSlug: 'dispatch', frequency: 'digest', since: START.toISOString() },
        { topic: 'Editorial partners (internal)', topicSlug: 'editorial-partners', frequency: 'digest', since: START.toISOString() },
      ],
      history: [
        { at: START.toISOString(), kind: 'preferences_link_sent', actor: 'system', details: {} },
        { at: START.toISOString(), kind: 'exported', actor: 'subscriber', details: {} },
      ],
    });
    // Every column of the subscriber's row is in the file, and nothing of the other subscriber.
    const row = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const value of Object.values(row)) if (value !== null) expect(response.body).toContain(JSON.stringify(value));
    expect(response.body).not.toContain(otherId);
    expect(response.body).not.toContain('sam@example.gov');
    expect(response.body).not.toContain('grants');
    expect(response.body).not.toContain('paused');
    expect((await eventsOf(ctx, id)).map((e) => e.kind)).toEqual(['preferences_link_sent', 'exported']);
  });

  it('deletes the address and everything about it, keeping only the keyed hash that imports and sign-ups check', async () => {
    const { app, ctx } = await start();
    const email = 'pat@example.gov';
    const id = await seedSubscriber(ctx, { email, topics: ['dispatch', 'editorial-partners'] });
    await ctx.db
      .insertInto('subscription_requests')
      .values({
        id: crypto.randomUUID(),
        email,
        topic_ids: '[]',
        source: 'test',
        ip_hash: null,
        user_agent: null,
        created_at: START.toISOString(),
        processed_at: null,
        token_hash: null,
        expires_at: null,
      })
      .execute();
    const keep = await seedSubscriber(ctx, { email: 'sam@example.gov', topics: ['dispatch'] });
    const browser = await signInAs(app, ctx, email);
    const { preferencesUrl, unsubscribeUrl } = subscriberLinks(ctx.config, { subscriberId: id });

    // Without the tick: 400, the page says why, and nothing is deleted.
    const before = await subscriberState(ctx);
    const refused = await browser.submit('/preferences/manage', '/preferences/manage/delete', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<a href="#field-confirm-delete">');
    expect(refused.body).toContain('I understand this deletes my address and history');
    expect(await subscriberState(ctx)).toEqual(before);

    const deleted = await browser.submit('/preferences/manage', '/preferences/manage/delete', { 'confirm-delete': 'on' });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/preferences/deleted');
    expect(mainOf((await browser.get('/preferences/deleted')).body)).toContain('<h1>Your address has been deleted</h1>');

    // Nothing in any table holds the address or the subscriber id (the dev mailbox stands for the person's inbox).
    for (const [table, rows] of Object.entries(await everyRow(ctx))) {
      if (table === 'dev_mail') continue;
      expect(rows, table).not.toContain(email);
      expect(rows, table).not.toContain(id);
    }
    expect(await ctx.db.selectFrom('subscriber_suppressions').selectAll().execute()).toEqual([
      { email_hash: emailHash(ctx.config.secret, email), reason: 'deleted', created_at: START.toISOString() },
    ]);
    expect(await suppressionOf(ctx.db, ctx.config.secret, 'Pat@Example.gov'.toLowerCase())).toBe('deleted');
    // The count triggers saw the memberships go.
    const counts = await ctx.db
      .selectFrom('subscription_counts')
      .select(['topic_id', 'subscribers'])
      .where('status', '=', 'active')
      .execute();
    expect(counts.filter((c) => c.subscribers !== 0).sort((a, b) => a.topic_id.localeCompare(b.topic_id))).toEqual(
      [
        { topic_id: '', subscribers: 1 },
        { topic_id: await topicId(ctx, 'dispatch'), subscribers: 1 },
      ].sort((a, b) => a.topic_id.localeCompare(b.topic_id)),
    );
    expect(await membershipsOf(ctx, keep)).toEqual(['dispatch:every']);

    // The session, the signed links and new link requests lead nowhere now.
    expect((await browser.get('/preferences/manage')).headers.location).toBe('/preferences?notice=expired');
    expect((await browser.get(pathOf(preferencesUrl))).statusCode).toBe(404);
    expect((await browser.get(pathOf(unsubscribeUrl))).statusCode).toBe(404);
    await browserOf(app).submit('/preferences', '/preferences', { email });
    const mailsBefore = (await mailTo(ctx, email)).length;
    await runQueuedJobs(ctx);
    expect(await mailTo(ctx, email)).toHaveLength(mailsBefore);
  });

  it('opens the management page from a signed per-recipient link, whose forms carry it instead of a cookie', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const { preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: id });
    const path = pathOf(preferencesUrl);
    const link = path.split('/').at(-1) as string;
    const browser = browserOf(app);

    const before = await subscriberState(ctx);
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(mainOf(page.body)).toContain('<h1>Your subscription</h1>');
    expect(page.body.match(new RegExp(`<input type="hidden" name="link" value="${link}"`, 'g'))).toHaveLength(5);
    // No session is opened by a link, so there is nothing to sign out of.
    expect(page.body).not.toMatch(/>Sign out<\/button>/);
    expect(await subscriberState(ctx)).toEqual(before);

    const saved = await postForm(browser, path, '/preferences/manage/topics', [
      ['link', link],
      ['topics', await topicId(ctx, 'grants')],
      [`frequency-${await topicId(ctx, 'grants')}`, 'digest'],
    ]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${path}?notice=saved`);
    expect(await membershipsOf(ctx, id)).toEqual(['grants:digest']);
    expect(mainOf((await browser.get(`${path}?notice=saved`)).body)).toContain('Your preferences have been saved.');
    expect((await browser.submit(path, '/preferences/manage/pause', { link })).headers.location).toBe(`${path}?notice=paused`);

    // Tampered, truncated, foreign-purpose and unknown-subscriber links are all the same 404, and change nothing.
    const changedAt = await subscriberState(ctx);
    const flipped = `${link.slice(0, -2)}${link.at(-2) === 'A' ? 'B' : 'A'}${link.at(-1)}`;
    const bad = [
      flipped,
      link.slice(0, -1),
      signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: id }),
      signSubscriberLink(ctx.config.secret, 'preferences', { subscriberId: crypto.randomUUID() }),
      'not-a-link',
    ];
    for (const token of bad) {
      const opened = await browser.get(`/preferences/open/${token}`);
      expect(opened.statusCode, token).toBe(404);
      expect(mainOf(opened.body)).toContain('<h1>This link is not valid</h1>');
      const posted = await browser.submit(path, '/preferences/manage/unsubscribe', { link: token });
      expect(posted.statusCode, token).toBe(404);
    }
    expect(await subscriberState(ctx)).toEqual(changedAt);

    // No link and no session: back to the address form.
    const noAccess = await browserOf(app).get('/preferences/manage');
    expect(noAccess.statusCode).toBe(303);
    expect(noAccess.headers.location).toBe('/preferences?notice=expired');
  });

  it('refuses management posts without a CSRF token or from another site, changing nothing', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    const { preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: id });
    const link = preferencesUrl.split('/').at(-1) as string;
    const before = await subscriberState(ctx);
    const actions = ['topics', 'pause', 'resume', 'unsubscribe', 'export', 'delete', 'sign-out'].map((a) => `/preferences/manage/${a}`);
    for (const action of [...actions, '/preferences']) {
      const fields = { link, 'confirm-delete': 'on', email: 'pat@example.gov' };
      expect((await browser.post(action, fields)).statusCode, `${action} without a token`).toBe(403);
      const token = csrfTokenIn((await browser.get('/preferences/manage')).body);
      expect((await browser.post(action, { ...fields, _csrf: token }, { origin: 'https://evil.example' })).statusCode, action).toBe(403);
      expect((await browser.post(action, { ...fields, _csrf: token }, { 'sec-fetch-site': 'cross-site' })).statusCode, action).toBe(403);
    }
    expect(await subscriberState(ctx)).toEqual(before);
  });

  it('changes nothing on any GET of these pages, in any state', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', status: 'pending', topics: ['dispatch', 'editorial-partners'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    await browserOf(app).submit('/preferences', '/preferences', { email: 'pat@example.gov' });
    await runQueuedJobs(ctx);
    const unusedLink = pathOf(await signInLinkTo(ctx, 'pat@example.gov'));
    const { preferencesUrl, unsubscribeUrl } = subscriberLinks(ctx.config, { subscriberId: id, topicId: await topicId(ctx, 'dispatch') });
    const urls = [
      '/preferences',
      '/preferences?notice=expired',
      '/preferences?notice=signed-out',
      unusedLink,
      `/preferences/sign-in/${'x'.repeat(43)}`,
      '/preferences/manage',
      '/preferences/manage?notice=saved',
      pathOf(preferencesUrl),
      `${pathOf(preferencesUrl)}?notice=unsubscribed`,
      '/preferences/deleted',
      pathOf(unsubscribeUrl),
      pathOf(subscriberLinks(ctx.config, { subscriberId: id }).unsubscribeUrl),
    ];
    const before = await subscriberState(ctx);
    for (const url of urls) {
      for (const who of [browser, browserOf(app)]) {
        const response = await who.get(url);
        expect(response.statusCode, url).toBeLessThan(500);
        const head = await who.request({ method: 'HEAD', url });
        expect(head.statusCode, url).toBeLessThan(500);
      }
    }
    expect(await subscriberState(ctx)).toEqual(before);
    // The sign-in link is still unused after all that.
    expect((await browser.get(unusedLink)).statusCode).toBe(200);
  });

  it('signs out: the session row goes and the cookie with it', async () => {
    const { app, ctx } = await start();
    await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const browser = await signInAs(app, ctx, 'pat@example.gov');
    const page = await browser.get('/preferences/manage');
    expect(page.body).toMatch(/>Sign out<\/button>/);
    const out = await browser.submit('/preferences/manage', '/preferences/manage/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/preferences?notice=signed-out');
    expect(browser.cookies.has('__Host-dispatch_subscriber')).toBe(false);
    expect(await ctx.db.selectFrom('subscriber_access_tokens').select('token_hash').where('purpose', '=', 'session').execute()).toEqual([]);
    expect((await browser.get('/preferences?notice=signed-out')).body).toContain('You have signed out of your subscription preferences.');
  });
});
