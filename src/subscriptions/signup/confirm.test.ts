import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { Browser, withoutPerRequestSecrets } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { hashToken } from '../../platform/auth/tokens.ts';
import type { AppContext } from '../../platform/context.ts';
import { emailHash } from '../keys.ts';
import { CONFIRMATION_LINK_TTL_MS } from './signup-rules.ts';
import {
  appOnFixedClock,
  latestConfirmationPath,
  processRequests,
  seedSubscriber,
  signUp,
  snapshot,
  subscriberState,
  suppress,
  topicId,
} from './test-support.ts';

/** Signs up and runs the job; returns the confirmation link's path and token. */
async function mailedLink(app: FastifyInstance, ctx: AppContext, email: string, topics?: string[]) {
  await signUp(app, ctx, email, topics);
  await processRequests(ctx);
  const path = await latestConfirmationPath(ctx, email);
  return { path, token: path.split('/').at(-1) as string };
}

/** Both halves of a confirmation, GET and POST (the POST with a valid form token). */
async function getAndPost(app: FastifyInstance, path: string) {
  const browser = new Browser(app);
  const shown = await browser.get(path);
  // A form token from a page that has one, since the link's own page may not.
  const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/subscribe')).body)?.[1] ?? '';
  const posted = await browser.post(path, { _csrf: token });
  return { shown, posted };
}

describeEachDatabase('confirming a subscription', ({ handle }) => {
  const start = appOnFixedClock(handle);

  it('refuses forged, truncated, altered and look-alike tokens with the same 404 page, changing nothing', async () => {
    const { app, ctx } = await start();
    const { token } = await mailedLink(app, ctx, 'pat@example.gov');
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const forgeries = [
      'A'.repeat(43),
      token.slice(0, 42),
      `${token}A`,
      `${token.slice(0, 42)}${flip(token.at(-1) as string)}`,
      `${token.slice(0, 42)}=`,
      token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(),
      // What the database holds instead of the token: useless as a link.
      hashToken(token),
      '..%2F..%2Fadmin',
      '%00',
    ];
    const before = await snapshot(ctx, { except: ['rate_limits'] });
    const bodies = new Set<string>();
    for (const forged of forgeries) {
      const { shown, posted } = await getAndPost(app, `/subscribe/confirm/${forged}`);
      for (const response of [shown, posted]) {
        expect(response.statusCode, forged).toBe(404);
        expect(response.body, forged).toContain('<h1>This link is not valid</h1>');
        bodies.add(withoutPerRequestSecrets(response.body));
      }
    }
    // The page never says which check failed.
    expect(bodies.size).toBe(1);
    expect(await snapshot(ctx, { except: ['rate_limits'] })).toEqual(before);
    expect((await subscriberState(ctx, 'pat@example.gov'))?.status).toBe('pending');
  });

  it('a used link and an expired link get the same 404 page and change nothing', async () => {
    const { app, ctx, clock } = await start();
    const used = await mailedLink(app, ctx, 'used@example.gov');
    expect((await getAndPost(app, used.path)).posted.statusCode).toBe(200);
    const expired = await mailedLink(app, ctx, 'late@example.gov');
    clock.advance(CONFIRMATION_LINK_TTL_MS);

    const before = await snapshot(ctx, { except: ['rate_limits'] });
    const bodies = new Set<string>();
    for (const path of [used.path, expired.path]) {
      const { shown, posted } = await getAndPost(app, path);
      for (const response of [shown, posted]) {
        expect(response.statusCode, path).toBe(404);
        bodies.add(withoutPerRequestSecrets(response.body));
      }
    }
    expect(bodies.size).toBe(1);
    expect(await snapshot(ctx, { except: ['rate_limits'] })).toEqual(before);
    expect((await subscriberState(ctx, 'late@example.gov'))?.status).toBe('pending');
    // The 404 offers a new start.
    expect([...bodies][0]).toContain('<a href="/subscribe">subscribe again</a>');
  });

  it('someone who had left gets exactly the public topics asked for; private memberships stay', async () => {
    const { app, ctx, clock } = await start();
    await seedSubscriber(ctx, 'back@example.gov', 'unsubscribed', ['dispatch', 'school-safety', 'editorial-partners']);
    const { path } = await mailedLink(app, ctx, 'back@example.gov', [await topicId(ctx, 'events'), await topicId(ctx, 'dispatch')]);
    clock.advance(60_000);
    const { posted } = await getAndPost(app, path);
    expect(posted.statusCode).toBe(200);
    // The page lists the public topics the person now gets.
    expect(posted.body).toContain('Community Policing Dispatch');
    expect(posted.body).toContain('Events and X chats');
    expect(posted.body).not.toContain('School safety');
    expect(posted.body).not.toContain('Editorial partners');
    const state = await subscriberState(ctx, 'back@example.gov');
    expect(state).toMatchObject({
      status: 'active',
      unsubscribed_at: null,
      confirmed_at: clock.now().toISOString(),
      consent_source: 'subscribe-page',
      consent_at: '2026-03-02T15:00:00.000Z',
      topics: ['dispatch', 'editorial-partners', 'events'],
    });
    expect(state?.events.at(-1)).toEqual({
      kind: 'confirmed',
      actor: 'subscriber',
      details: { topics: ['dispatch', 'events'], source: 'subscribe-page', from: 'unsubscribed' },
    });
  });

  it('active and paused subscribers keep their topics, first confirmation date and growth count, and add the new ones', async () => {
    const { app, ctx, clock } = await start();
    const firstConfirmed = clock.now().toISOString();
    for (const status of ['active', 'paused'] as const) {
      await seedSubscriber(ctx, `${status}@example.gov`, status, ['dispatch', 'editorial-partners']);
    }
    const growthBefore = await ctx.db.selectFrom('subscription_growth').selectAll().orderBy('month').execute();
    clock.advance(40 * 24 * 60 * 60 * 1000);
    for (const status of ['active', 'paused'] as const) {
      const { path } = await mailedLink(app, ctx, `${status}@example.gov`, [await topicId(ctx, 'grants')]);
      expect((await getAndPost(app, path)).posted.statusCode).toBe(200);
      expect(await subscriberState(ctx, `${status}@example.gov`)).toMatchObject({
        status: 'active',
        confirmed_at: firstConfirmed,
        topics: ['dispatch', 'editorial-partners', 'grants'],
      });
    }
    expect(await ctx.db.selectFrom('subscription_growth').selectAll().orderBy('month').execute()).toEqual(growthBefore);
  });

  it('confirming lifts a "deleted" suppression: the fresh consent re-admits the address', async () => {
    const { app, ctx } = await start();
    await suppress(ctx, 'again@example.gov', 'deleted');
    await suppress(ctx, 'other@example.gov', 'deleted');
    const { path } = await mailedLink(app, ctx, 'again@example.gov');
    expect((await getAndPost(app, path)).posted.statusCode).toBe(200);
    const rows = await ctx.db.selectFrom('subscriber_suppressions').select('email_hash').execute();
    expect(rows).toEqual([{ email_hash: emailHash(ctx.config.secret, 'other@example.gov') }]);
    expect((await subscriberState(ctx, 'again@example.gov'))?.status).toBe('active');
  });

  it('creates the subscriber if it was deleted between the mail and the click', async () => {
    const { app, ctx } = await start();
    const { path } = await mailedLink(app, ctx, 'pat@example.gov');
    const { id } = (await subscriberState(ctx, 'pat@example.gov')) ?? { id: '' };
    await ctx.db.deleteFrom('subscriptions').where('subscriber_id', '=', id).execute();
    await ctx.db.deleteFrom('subscribers').where('id', '=', id).execute();
    expect((await getAndPost(app, path)).posted.statusCode).toBe(200);
    const state = await subscriberState(ctx, 'pat@example.gov');
    expect(state).toMatchObject({ status: 'active', topics: ['dispatch'], consent_source: 'subscribe-page' });
    expect(state?.id).not.toBe(id);
    expect(state?.events.map((e) => e.kind)).toEqual(['confirmed']);
  });

  it('a link to an address suppressed after the mail went out (a bounce, a complaint) no longer works', async () => {
    const { app, ctx } = await start();
    const { path } = await mailedLink(app, ctx, 'bounced@example.gov');
    await suppress(ctx, 'bounced@example.gov', 'hard_bounce');
    const { shown, posted } = await getAndPost(app, path);
    expect(shown.statusCode).toBe(404);
    expect(posted.statusCode).toBe(404);
    expect((await subscriberState(ctx, 'bounced@example.gov'))?.status).toBe('pending');
  });

  it('two confirmations of one link at once: one succeeds, the other finds the link used', async () => {
    const { app, ctx } = await start();
    const { path } = await mailedLink(app, ctx, 'pat@example.gov');
    const browser = new Browser(app);
    const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get(path)).body)?.[1] ?? '';
    const results = await Promise.all([browser.post(path, { _csrf: token }), browser.post(path, { _csrf: token })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 404]);
    const state = await subscriberState(ctx, 'pat@example.gov');
    expect(state?.events.map((e) => e.kind)).toEqual(['requested', 'confirmed']);
  });
});
