import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import { ipHash, verifySubscriberLink } from '../keys.ts';
import { CHOOSE_A_TOPIC } from './subscribe.ts';
import {
  confirmationMails,
  latestConfirmationPath,
  postSubscribe,
  processRequests,
  signUp,
  snapshot,
  subscriberState,
  topicId,
} from './test-support.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) DispatchTest/1.0';

/** The topic checkboxes of a page: id, value and whether it is checked, in order. */
function topicBoxes(html: string) {
  return [...html.matchAll(/<input class="usa-checkbox__input"[^>]*name="topics"[^>]*>/g)].map(([tag]) => ({
    id: /id="([^"]+)"/.exec(tag)?.[1],
    value: /value="([^"]+)"/.exec(tag)?.[1],
    checked: / checked[ />]/.test(tag),
  }));
}
const checkedTopics = (html: string) =>
  topicBoxes(html)
    .filter((box) => box.checked)
    .map((box) => box.value);

describeEachDatabase('the public sign-up with double opt-in', ({ handle }) => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const start = async (clock = new FixedClock(new Date('2026-03-02T15:00:00.000Z'))) => {
    const created = await createTestApp(handle(), { clock });
    app = created.app;
    return { ...created, clock };
  };

  it('subscribe → job → mail → the confirm page changes nothing → confirm → active with consent evidence and history', async () => {
    const { app, ctx, clock } = await start();
    const dispatch = await topicId(ctx, 'dispatch');
    const events = await topicId(ctx, 'events');
    const browser = new Browser(app);
    browser.ip = '203.0.113.7';

    const answer = await postSubscribe(browser, { email: '  Pat.Officer@Example.GOV ', topics: [dispatch, events] }, { 'user-agent': UA });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('<h1>Check your email</h1>');
    // The request alone: no subscriber yet, one request row, one queued job.
    const [request] = await ctx.db.selectFrom('subscription_requests').selectAll().execute();
    expect(request).toMatchObject({
      email: 'pat.officer@example.gov',
      topic_ids: JSON.stringify([dispatch, events]),
      source: 'subscribe-page',
      ip_hash: ipHash(ctx.config.secret, '203.0.113.7'),
      user_agent: UA,
      created_at: '2026-03-02T15:00:00.000Z',
      processed_at: null,
      token_hash: null,
    });
    expect(await subscriberState(ctx, 'pat.officer@example.gov')).toBeUndefined();
    expect(await ctx.db.selectFrom('jobs').select(['name', 'status']).execute()).toEqual([
      { name: 'subscriptions.process-requests', status: 'queued' },
    ]);

    clock.advance(60_000);
    expect(await processRequests(ctx)).toEqual({ lookedUp: 1, mailed: 1, failed: 0 });
    const pending = await subscriberState(ctx, 'pat.officer@example.gov');
    expect(pending).toMatchObject({
      status: 'pending',
      consent_at: '2026-03-02T15:00:00.000Z',
      consent_source: 'subscribe-page',
      consent_ip_hash: ipHash(ctx.config.secret, '203.0.113.7'),
      consent_user_agent: UA,
      confirmed_at: null,
      topics: ['dispatch', 'events'],
    });
    expect(pending?.events).toEqual([
      { kind: 'requested', actor: 'subscriber', details: { topics: ['dispatch', 'events'], source: 'subscribe-page' } },
    ]);

    const [mail] = await confirmationMails(ctx);
    expect(mail).toMatchObject({ subject: 'Confirm your subscription to Community Policing Dispatch', to: 'pat.officer@example.gov' });
    expect(mail?.from).toContain('no-reply@dispatch.localhost');
    expect(mail?.link).toBe(`${ctx.config.publicUrl}/subscribe/confirm/${mail?.token}`);
    expect(mail?.text).toContain('- Community Policing Dispatch (monthly)');
    expect(mail?.text).toContain('- Events and X chats (as items are published)');
    expect(mail?.text).toContain('If you did not ask for this, ignore this e-mail and nothing will happen');
    expect(mail?.text).toContain('145 N Street, N.E.');
    expect(mail?.html).toContain('<html lang="en">');
    expect(mail?.html).toContain(`<a href="${mail?.link}"`);
    expect(mail?.html).toContain('Confirm your subscription to Community Policing Dispatch</a>');

    // Opening the link (as a person or a mail scanner) shows the page and changes nothing.
    const path = `/subscribe/confirm/${mail?.token}`;
    // Rate-limit counters are not state: a link check counts a hit.
    const before = await snapshot(ctx, { except: ['rate_limits'] });
    const page = await browser.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1>Confirm your subscription</h1>');
    expect(page.body).toContain('pat.officer@example.gov');
    expect(page.body).toContain('Events and X chats');
    expect(page.body).toContain('>Confirm subscription</button>');
    expect(await browser.get(path)).toMatchObject({ statusCode: 200 });
    expect(await snapshot(ctx, { except: ['rate_limits'] })).toEqual(before);

    clock.advance(60_000);
    const confirmed = await browser.submit(path, path, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain("<h1>You're subscribed</h1>");
    const preferences = /href="([^"]*\/preferences\/open\/[^"]+)">\s*Manage your preferences/.exec(confirmed.body)?.[1] ?? '';
    const active = await subscriberState(ctx, 'pat.officer@example.gov');
    expect(verifySubscriberLink(ctx.config.secret, 'preferences', preferences.split('/preferences/open/')[1])).toEqual({
      subscriberId: active?.id,
    });
    expect(active).toMatchObject({
      status: 'active',
      consent_at: '2026-03-02T15:00:00.000Z',
      consent_source: 'subscribe-page',
      consent_ip_hash: ipHash(ctx.config.secret, '203.0.113.7'),
      consent_user_agent: UA,
      confirmed_at: '2026-03-02T15:02:00.000Z',
      unsubscribed_at: null,
      topics: ['dispatch', 'events'],
    });
    expect(active?.events.map((e) => e.kind)).toEqual(['requested', 'confirmed']);
    expect(active?.events[1]).toEqual({
      kind: 'confirmed',
      actor: 'subscriber',
      details: { topics: ['dispatch', 'events'], source: 'subscribe-page', from: 'pending' },
    });
    // Single use: the request is gone, and the link now says only that it is not valid.
    expect(await ctx.db.selectFrom('subscription_requests').selectAll().execute()).toEqual([]);
    const again = await browser.get(path);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('<h1>This link is not valid</h1>');
    // The count triggers saw it: one active subscriber, in both topics.
    const counts = await ctx.db.selectFrom('subscription_counts').selectAll().where('subscribers', '!=', 0).orderBy('topic_id').execute();
    expect(counts.map((c) => [c.topic_id, c.status, c.subscribers])).toEqual(
      [
        ['', 'active', 1],
        [dispatch, 'active', 1],
        [events, 'active', 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('GET /subscribe: the address field, one checkbox per public topic with its hint, the Dispatch checked, the notice', async () => {
    const { app, ctx } = await start();
    const page = await new Browser(app).get('/subscribe');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('<h1>Subscribe to Email Updates</h1>');
    expect(body).toMatch(/<label class="usa-label" for="field-email">Email address<\/label>/);
    expect(body).toMatch(/<input[^>]*name="email"[^>]*type="email"/);
    expect(body).toContain('<legend class="usa-legend usa-legend--large">Topics</legend>');
    const boxes = topicBoxes(body);
    const publicTopics = await ctx.db
      .selectFrom('subscription_topics')
      .select(['id', 'slug'])
      .where('visibility', '=', 'public')
      .orderBy('position')
      .execute();
    expect(boxes.map((b) => b.value)).toEqual(publicTopics.map((t) => t.id));
    expect(checkedTopics(body)).toEqual([await topicId(ctx, 'dispatch')]);
    expect(boxes[0]?.id).toBe('field-topics');
    expect(body).toContain('How often: monthly.');
    expect(body).toContain('How often: as items are published.');
    expect(body).not.toContain('Editorial partners');
    expect(body).toContain('Your privacy');
    expect(body).toContain('We do not track whether you open our e-mails');
    expect(body).toContain('public records');
    expect(body).toMatch(/<input type="hidden" name="source" value="subscribe-page"\/>/);
    expect(body).toMatch(/<button type="submit" class="usa-button margin-top-2">Subscribe<\/button>/);
    // A page with a form token is never the shared cached one, and the box does not repeat the form here.
    expect(body).not.toContain('subscribe-box-email');
  });

  it('GET /subscribe?email=&topic= fills in the address from the box and checks the topic asked for', async () => {
    const { app, ctx } = await start();
    const page = await new Browser(app).get('/subscribe?email=pat%40example.gov&topic=grants');
    expect(page.body).toMatch(/<input[^>]*name="email"[^>]*value="pat@example.gov"/);
    expect(checkedTopics(page.body)).toEqual([await topicId(ctx, 'grants')]);
    expect(page.body).toContain('name="source" value="subscribe-box"');
    // A private or unknown topic slug checks nothing but the Dispatch.
    for (const slug of ['editorial-partners', 'nope']) {
      const other = await new Browser(app).get(`/subscribe?topic=${slug}`);
      expect(checkedTopics(other.body)).toEqual([await topicId(ctx, 'dispatch')]);
    }
  });

  it('the box source is kept only when it is a known one', async () => {
    const { app, ctx } = await start();
    const dispatch = await topicId(ctx, 'dispatch');
    await postSubscribe(new Browser(app), { email: 'a@example.gov', topics: [dispatch], source: 'subscribe-box' });
    await postSubscribe(new Browser(app), { email: 'b@example.gov', topics: [dispatch], source: 'import' });
    await postSubscribe(new Browser(app), { email: 'c@example.gov', topics: [dispatch], source: '<b>partner site</b>' });
    const rows = await ctx.db.selectFrom('subscription_requests').select(['email', 'source']).orderBy('email').execute();
    expect(rows).toEqual([
      { email: 'a@example.gov', source: 'subscribe-box' },
      { email: 'b@example.gov', source: 'subscribe-page' },
      { email: 'c@example.gov', source: 'subscribe-page' },
    ]);
  });

  it('refuses bad input with 400, the error summary, field errors and what was typed, storing nothing', async () => {
    const { app, ctx } = await start();
    const events = await topicId(ctx, 'events');
    const cases: Array<{ email: string; topics: string[]; errors: string[] }> = [
      { email: '', topics: [events], errors: ['Enter your e-mail address.'] },
      { email: 'not-an-address', topics: [events], errors: ['Enter an e-mail address like name@example.gov.'] },
      { email: `${'a'.repeat(65)}@example.gov`, topics: [events], errors: ['The part before the @ can be at most 64 characters long.'] },
      {
        email: 'jürgen@example.gov',
        topics: [events],
        errors: [
          "The part before the @ can only use letters A–Z, digits and . ! # $ % &amp; ' * + - / = ? ^ _ ` { | } ~ (no accented letters).",
        ],
      },
      { email: 'pat@example.gov', topics: [], errors: [CHOOSE_A_TOPIC] },
      { email: 'bad', topics: [], errors: ['Enter an e-mail address like name@example.gov.', CHOOSE_A_TOPIC] },
    ];
    for (const c of cases) {
      const response = await postSubscribe(new Browser(app), { email: c.email, topics: c.topics });
      expect(response.statusCode, c.email).toBe(400);
      expect(response.body).toContain('<title>Error: Subscribe to Email Updates');
      const summary = response.body.slice(
        response.body.indexOf('id="error-summary"'),
        response.body.indexOf('</ul>', response.body.indexOf('id="error-summary"')),
      );
      expect(
        [...summary.matchAll(/<a href="#field-(\w+)">([^<]*)<\/a>/g)].map((m) => m[2]),
        c.email,
      ).toEqual(c.errors);
      // The address as typed, and the topics as chosen.
      expect(response.body).toMatch(
        c.email ? new RegExp(`id="field-email" name="email" type="email" value="${c.email}"`) : /name="email" type="email" value /,
      );
      expect(checkedTopics(response.body)).toEqual(c.topics);
      if (c.errors.includes(CHOOSE_A_TOPIC)) expect(response.body).toContain('id="topics-error"');
    }
    expect(await ctx.db.selectFrom('subscription_requests').selectAll().execute()).toEqual([]);
    expect(await ctx.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('ignores unknown and private topic ids: with nothing else chosen that is "choose a topic"', async () => {
    const { app, ctx } = await start();
    const privateTopic = await topicId(ctx, 'editorial-partners');
    const grants = await topicId(ctx, 'grants');
    const onlyPrivate = await postSubscribe(new Browser(app), { email: 'pat@example.gov', topics: [privateTopic, 'no-such-topic'] });
    expect(onlyPrivate.statusCode).toBe(400);
    expect(onlyPrivate.body).toContain(CHOOSE_A_TOPIC);
    expect(onlyPrivate.body).not.toContain(privateTopic);

    const mixed = await postSubscribe(new Browser(app), { email: 'pat@example.gov', topics: [privateTopic, grants, grants, 'x'] });
    expect(mixed.statusCode).toBe(200);
    const [request] = await ctx.db.selectFrom('subscription_requests').select('topic_ids').execute();
    expect(JSON.parse(request?.topic_ids ?? '')).toEqual([grants]);

    await processRequests(ctx);
    const path = await latestConfirmationPath(ctx, 'pat@example.gov');
    await new Browser(app).submit(path, path, {});
    expect((await subscriberState(ctx, 'pat@example.gov'))?.topics).toEqual(['grants']);
  });

  it('stores internationalised domains as punycode and treats addresses differing in case as one subscriber', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'Pat@Bücher.Example');
    await signUp(app, ctx, 'PAT@xn--bcher-kva.example', [await topicId(ctx, 'events')]);
    await processRequests(ctx);
    const rows = await ctx.db.selectFrom('subscribers').select(['email', 'status']).execute();
    expect(rows).toEqual([{ email: 'pat@xn--bcher-kva.example', status: 'pending' }]);
    expect((await subscriberState(ctx, 'pat@xn--bcher-kva.example'))?.topics).toEqual(['dispatch', 'events']);
    const mails = await confirmationMails(ctx);
    expect(mails.map((m) => m.recipients)).toEqual(['pat@xn--bcher-kva.example', 'pat@xn--bcher-kva.example']);
  });

  it('refuses a POST without a CSRF token, and one from another site, storing nothing', async () => {
    const { app, ctx } = await start();
    const dispatch = await topicId(ctx, 'dispatch');
    const browser = new Browser(app);
    await browser.get('/subscribe');
    const withoutToken = await browser.post('/subscribe', { email: 'pat@example.gov', topics: dispatch });
    expect(withoutToken.statusCode).toBe(403);
    const crossSite = await postSubscribe(browser, { email: 'pat@example.gov', topics: [dispatch] }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    // Confirming needs the token too.
    await signUp(app, ctx, 'pat@example.gov');
    await processRequests(ctx);
    const path = await latestConfirmationPath(ctx, 'pat@example.gov');
    // The per-IP limit counts refused attempts too (it runs first); nothing else may change.
    const before = await snapshot(ctx, { except: ['rate_limits'] });
    const confirmWithoutToken = await new Browser(app).post(path, {});
    expect(confirmWithoutToken.statusCode).toBe(403);
    expect(await snapshot(ctx, { except: ['rate_limits'] })).toEqual(before);
    expect((await subscriberState(ctx, 'pat@example.gov'))?.status).toBe('pending');
  });

  it('no GET of the sign-up pages or the public pages with the box changes the database', async () => {
    const { app, ctx } = await start();
    await signUp(app, ctx, 'pat@example.gov');
    await processRequests(ctx);
    const path = await latestConfirmationPath(ctx, 'pat@example.gov');
    // Rate-limit counters are not state: a link check counts a hit.
    const before = await snapshot(ctx, { except: ['rate_limits'] });
    const browser = new Browser(app);
    for (const url of [
      '/',
      '/subscribe',
      '/subscribe?email=pat%40example.gov&topic=events',
      path,
      `${path}x`,
      '/subscribe/confirm/short',
      '/issues',
      '/contact',
      '/search?q=school',
    ]) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBeLessThan(500);
    }
    expect(await snapshot(ctx, { except: ['rate_limits'] })).toEqual(before);
  });

  it('puts exactly one subscribe box, a GET form without a token, on every public page', async () => {
    const { app } = await start();
    const browser = new Browser(app);
    for (const url of ['/', '/issues', '/events', '/resources', '/topics', '/search', '/search?q=x', '/contact']) {
      const response = await browser.get(url);
      expect(response.statusCode, url).toBe(200);
      const body = response.body;
      expect(body.match(/Subscribe to Email Updates<\/h2>/g)?.length, url).toBe(1);
      const form = /<form method="get" action="\/subscribe"[^>]*>([\s\S]*?)<\/form>/.exec(body)?.[1] ?? '';
      expect(form, url).toContain('<label class="usa-label" for="subscribe-box-email">Email address</label>');
      expect(form, url).toMatch(/<input[^>]*id="subscribe-box-email"[^>]*name="email"/);
      expect(form, url).toContain('>Subscribe</button>');
      expect(form, url).not.toContain('_csrf');
      expect(body, url).toContain('<a href="/preferences">Manage your subscriber preferences</a>');
    }
    // The public pages stay cacheable: the box set no cookie.
    const home = await new Browser(app).get('/');
    expect(home.headers['set-cookie']).toBeUndefined();
    // Not on the sign-up pages themselves.
    expect((await browser.get('/subscribe')).body).not.toContain('subscribe-box-email');
  });
});
