import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Browser, createTestApp, type TestApp, withoutPerRequestSecrets } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { signSubscriberLink, subscriberLinks } from '../keys.ts';
import { deleteSubscriber } from '../preferences/delete-subscriber.ts';
import { eventsOf, membershipsOf, pathOf, seedSubscriber, subscriberState, topicId } from '../preferences/test-support.ts';
import { listUnsubscribeHeaders } from './list-unsubscribe-headers.ts';
import { UNSUBSCRIBE_PAGE_VIEWS_PER_MINUTE, UNSUBSCRIBE_POSTS_PER_MINUTE } from './routes.ts';

const START = new Date('2026-06-01T09:00:00.000Z');
const ONE_CLICK = 'List-Unsubscribe=One-Click';

const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

/** A POST exactly as a mailbox provider sends it (RFC 8058): the one pair, no cookie, no CSRF token, no Origin. */
function oneClick(app: TestApp['app'], path: string, ip = '192.0.2.1') {
  return app.inject({
    method: 'POST',
    url: path,
    remoteAddress: ip,
    payload: ONE_CLICK,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function statusOf(ctx: AppContext, id: string) {
  return ctx.db.selectFrom('subscribers').select(['status', 'unsubscribed_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

describeEachDatabase('unsubscribe links', ({ handle }) => {
  let running: TestApp | undefined;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
  });
  const start = async () => {
    const clock = new FixedClock(START);
    running = await createTestApp(handle(), { clock, env: { PUBLIC_URL: 'https://dispatch.example.gov' } });
    return { ...running, clock };
  };

  it('shows a page with the Unsubscribe button and a preferences link, and opening it changes nothing', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'grants'] });
    const { unsubscribeUrl, preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: id });
    const path = pathOf(unsubscribeUrl);
    const before = await subscriberState(ctx);

    const page = await new Browser(app).get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const main = mainOf(page.body);
    expect(main).toContain('<h1>Unsubscribe</h1>');
    expect(main).toContain('all email from the Community Policing Dispatch');
    expect(main).toMatch(new RegExp(`<form method="post" action="${path}"[^>]*>\\s*<button type="submit"[^>]*>Unsubscribe</button>`));
    expect(main).toContain(`<a href="${preferencesUrl}">Manage your preferences instead</a>`);
    // The button's form needs no CSRF token: the signed address authenticates it, and no cookie is set.
    expect(main).not.toContain('_csrf');
    expect(page.headers['set-cookie']).toBeUndefined();

    const scoped = await new Browser(app).get(
      pathOf(subscriberLinks(ctx.config, { subscriberId: id, topicId: await topicId(ctx, 'grants') }).unsubscribeUrl),
    );
    expect(mainOf(scoped.body)).toContain('email about “Grants and funding”');
    expect(mainOf(scoped.body)).toContain('Your other topics stay as they are.');
    expect(await subscriberState(ctx)).toEqual(before);
  });

  it('unsubscribes at once on a one-click POST with no cookie and no CSRF token, and again is still a success', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'grants'] });
    const path = pathOf(subscriberLinks(ctx.config, { subscriberId: id }).unsubscribeUrl);

    const response = await oneClick(app, path);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe('You are unsubscribed.\n');
    expect(await statusOf(ctx, id)).toEqual({ status: 'unsubscribed', unsubscribed_at: START.toISOString() });
    // Memberships stay, for history and counts.
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every', 'grants:every']);
    expect(await eventsOf(ctx, id)).toEqual([{ kind: 'unsubscribed', actor: 'one-click', details: { scope: 'all', from: 'active' } }]);

    const again = await oneClick(app, path);
    expect(again.statusCode).toBe(200);
    expect(await eventsOf(ctx, id)).toHaveLength(1);

    // The page behind the link says so.
    expect(mainOf((await new Browser(app).get(path)).body)).toContain('You are already unsubscribed');
  });

  it('accepts the one-click body as multipart/form-data too (RFC 8058 allows both)', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const boundary = '----FormBoundaryjWmhtjORrn';
    const response = await app.inject({
      method: 'POST',
      url: pathOf(subscriberLinks(ctx.config, { subscriberId: id }).unsubscribeUrl),
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('You are unsubscribed.\n');
    expect((await statusOf(ctx, id)).status).toBe('unsubscribed');
    expect((await eventsOf(ctx, id)).map((e) => e.actor)).toEqual(['one-click']);
  });

  it('answers the page\'s button with "You\'re unsubscribed" and links to preferences and /subscribe', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', status: 'paused', topics: ['dispatch'] });
    const { unsubscribeUrl, preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: id });
    const browser = new Browser(app);
    await browser.get(pathOf(unsubscribeUrl));
    const response = await browser.post(pathOf(unsubscribeUrl), {}, { origin: 'https://dispatch.example.gov' });
    expect(response.statusCode).toBe(200);
    const main = mainOf(response.body);
    expect(main).toContain("<h1>You're unsubscribed</h1>");
    expect(main).toContain(`<a href="${preferencesUrl}">Manage your preferences</a>`);
    expect(main).toContain('<a href="/subscribe">Subscribe again</a>');
    expect(await statusOf(ctx, id)).toEqual({ status: 'unsubscribed', unsubscribed_at: START.toISOString() });
    expect(await eventsOf(ctx, id)).toEqual([{ kind: 'unsubscribed', actor: 'subscriber', details: { scope: 'all', from: 'paused' } }]);
    // Pressed twice (a reload): the same page, nothing more recorded.
    expect((await browser.post(pathOf(unsubscribeUrl), {})).statusCode).toBe(200);
    expect(await eventsOf(ctx, id)).toHaveLength(1);
  });

  it('leaves only the topic of a topic-scoped link, and unsubscribes altogether when it was the last one', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'grants'] });
    const link = async (slug: string) =>
      pathOf(subscriberLinks(ctx.config, { subscriberId: id, topicId: await topicId(ctx, slug) }).unsubscribeUrl);

    expect((await oneClick(app, await link('grants'))).statusCode).toBe(200);
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every']);
    expect(await statusOf(ctx, id)).toEqual({ status: 'active', unsubscribed_at: null });
    // Leaving a topic one is not on changes nothing and is still a success.
    expect((await oneClick(app, await link('grants'))).statusCode).toBe(200);
    expect((await oneClick(app, await link('events'))).statusCode).toBe(200);
    expect(await statusOf(ctx, id)).toEqual({ status: 'active', unsubscribed_at: null });

    const last = await new Browser(app).post(await link('dispatch'), {});
    expect(last.statusCode).toBe(200);
    expect(mainOf(last.body)).toContain('That was your last topic');
    expect(await membershipsOf(ctx, id)).toEqual([]);
    expect(await statusOf(ctx, id)).toEqual({ status: 'unsubscribed', unsubscribed_at: START.toISOString() });
    expect(await eventsOf(ctx, id)).toEqual([
      { kind: 'unsubscribed', actor: 'one-click', details: { topic: 'grants' } },
      { kind: 'unsubscribed', actor: 'subscriber', details: { topic: 'dispatch', lastTopic: true } },
    ]);
  });

  it("refuses forged, truncated, cross-purpose, other subscribers' and deleted subscribers' tokens with the same 404, changing nothing", async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const otherId = await seedSubscriber(ctx, { email: 'sam@example.gov', topics: ['dispatch'] });
    const goneId = await seedSubscriber(ctx, { email: 'gone@example.gov', topics: ['dispatch'] });
    const goneToken = signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: goneId });
    await deleteSubscriber(ctx, { subscriberId: goneId, confirmed: true });

    const token = signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: id });
    const [payload, mac] = token.split('.') as [string, string];
    const otherPayload = signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: otherId }).split('.')[0];
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const scoped = signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: id, topicId: await topicId(ctx, 'dispatch') });
    const bad = {
      'a changed MAC': `${payload}.${flip(mac, 5)}`,
      'a changed subscriber id': `${flip(payload, 3)}.${mac}`,
      'another subscriber spliced in': `${otherPayload}.${mac}`,
      'a UUID instead of a token': otherId,
      truncated: token.slice(0, -4),
      'without its MAC': payload,
      extended: `${token}A`,
      'a topic-scoped token cut to its subscriber': `${Buffer.from(scoped.split('.')[0] as string, 'base64url')
        .subarray(0, 16)
        .toString('base64url')}.${scoped.split('.')[1]}`,
      'a preferences token': signSubscriberLink(ctx.config.secret, 'preferences', { subscriberId: id }),
      'another secret': signSubscriberLink('a-different-secret-that-is-long-enough-000', 'unsubscribe', { subscriberId: id }),
      'a random subscriber': signSubscriberLink(ctx.config.secret, 'unsubscribe', { subscriberId: randomUUID() }),
      'a deleted subscriber': goneToken,
      junk: 'not-a-token',
    };
    const before = await subscriberState(ctx);
    const reference = await new Browser(app).get('/unsubscribe/not-a-token');
    for (const [name, value] of Object.entries(bad)) {
      const path = `/unsubscribe/${encodeURIComponent(value)}`;
      const page = await new Browser(app).get(path);
      expect(page.statusCode, name).toBe(404);
      expect(mainOf(page.body), name).toContain('<h1>This link is not valid</h1>');
      // Not a word about why: every refusal is the same page.
      expect(withoutPerRequestSecrets(page.body), name).toBe(withoutPerRequestSecrets(reference.body));
      expect((await oneClick(app, path)).statusCode, name).toBe(404);
      expect((await new Browser(app).post(path, {})).statusCode, name).toBe(404);
    }
    expect(await subscriberState(ctx)).toEqual(before);
    expect((await statusOf(ctx, id)).status).toBe('active');
  });

  it(`allows ${UNSUBSCRIBE_PAGE_VIEWS_PER_MINUTE} page views and ${UNSUBSCRIBE_POSTS_PER_MINUTE} posts a minute per client address, then 429`, async () => {
    const { app, ctx, clock } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch'] });
    const path = pathOf(subscriberLinks(ctx.config, { subscriberId: id }).unsubscribeUrl);
    const browser = new Browser(app);
    browser.ip = '203.0.113.50';
    for (let i = 1; i <= UNSUBSCRIBE_PAGE_VIEWS_PER_MINUTE; i++) expect((await browser.get(path)).statusCode, `view ${i}`).toBe(200);
    expect((await browser.get(path)).statusCode).toBe(429);
    // Counted apart from the POST, which still works.
    for (let i = 1; i <= UNSUBSCRIBE_POSTS_PER_MINUTE; i++)
      expect((await oneClick(app, path, browser.ip)).statusCode, `post ${i}`).toBe(200);
    expect((await oneClick(app, path, browser.ip)).statusCode).toBe(429);
    // Another address is not affected, and the window ends after a minute.
    expect((await oneClick(app, path, '203.0.113.51')).statusCode).toBe(200);
    clock.advance(60 * 1000);
    expect((await browser.get(path)).statusCode).toBe(200);
    expect((await oneClick(app, path, browser.ip)).statusCode).toBe(200);
  }, 60_000);

  it('builds the List-Unsubscribe headers for subscription mail, whose address the one-click POST accepts', async () => {
    const { app, ctx } = await start();
    const id = await seedSubscriber(ctx, { email: 'pat@example.gov', topics: ['dispatch', 'grants'] });
    const grants = await topicId(ctx, 'grants');
    const headers = listUnsubscribeHeaders(ctx.config, { subscriberId: id, topicId: grants });
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(https:\/\/dispatch\.example\.gov\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(headers['List-Unsubscribe'])?.[1];
    expect(url).toBe(subscriberLinks(ctx.config, { subscriberId: id, topicId: grants }).unsubscribeUrl);
    expect((await oneClick(app, pathOf(url as string))).statusCode).toBe(200);
    expect(await membershipsOf(ctx, id)).toEqual(['dispatch:every']);
    expect(Object.keys(listUnsubscribeHeaders(ctx.config, { subscriberId: id }))).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post']);
  });
});
