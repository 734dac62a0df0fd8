import { expect, it } from 'vitest';
import { Browser } from '../../../test/support/app.ts';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { CONFIRM_POSTS_PER_HOUR, RATE_LIMIT_WINDOW_MS, SUBSCRIBE_POSTS_PER_HOUR } from './signup-rules.ts';
import {
  appOnFixedClock,
  latestConfirmationPath,
  postSubscribe,
  processRequests,
  signUp,
  subscriberState,
  topicId,
} from './test-support.ts';

describeEachDatabase('sign-up rate limits (per client IP address, per hour)', ({ handle }) => {
  // The windows are fixed hours from the first hit; the clock stands still inside the test.
  const start = appOnFixedClock(handle);

  it(`POST /subscribe: ${SUBSCRIBE_POSTS_PER_HOUR} an hour are answered, the next gets 429; other addresses and the next hour are not refused`, async () => {
    const { app, ctx, clock } = await start();
    expect(SUBSCRIBE_POSTS_PER_HOUR).toBe(10);
    const dispatch = await topicId(ctx, 'dispatch');
    const browser = new Browser(app);
    browser.ip = '198.51.100.20';
    for (let i = 1; i <= SUBSCRIBE_POSTS_PER_HOUR; i++) {
      // Refused input counts too: every other try here is a mistyped address.
      const response = await postSubscribe(browser, { email: i % 2 ? `person${i}@example.gov` : 'mistyped', topics: [dispatch] });
      expect(response.statusCode, `request ${i}`).toBe(i % 2 ? 200 : 400);
    }
    const refused = await postSubscribe(browser, { email: 'one-more@example.gov', topics: [dispatch] });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('<h1>Too many attempts</h1>');
    expect(refused.body).toContain('too many sign-ups from your network in the last hour. Please wait an hour and try again.');
    expect(await ctx.db.selectFrom('subscription_requests').select('email').where('email', '=', 'one-more@example.gov').execute()).toEqual(
      [],
    );

    // Someone else is not affected.
    const neighbour = new Browser(app);
    neighbour.ip = '198.51.100.21';
    expect((await postSubscribe(neighbour, { email: 'neighbour@example.gov', topics: [dispatch] })).statusCode).toBe(200);

    clock.advance(RATE_LIMIT_WINDOW_MS);
    expect((await postSubscribe(browser, { email: 'next-hour@example.gov', topics: [dispatch] })).statusCode).toBe(200);
  });

  it(`POST /subscribe/confirm/:token: ${CONFIRM_POSTS_PER_HOUR} an hour are answered, the next gets 429`, async () => {
    const { app, ctx } = await start();
    expect(CONFIRM_POSTS_PER_HOUR).toBe(30);
    await signUp(app, ctx, 'pat@example.gov');
    await signUp(app, ctx, 'sam@example.gov');
    await processRequests(ctx);
    const pat = await latestConfirmationPath(ctx, 'pat@example.gov');
    const sam = await latestConfirmationPath(ctx, 'sam@example.gov');

    const browser = new Browser(app);
    browser.ip = '198.51.100.30';
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(pat)).body)?.[1] ?? '';
    for (let i = 1; i < CONFIRM_POSTS_PER_HOUR; i++) {
      const response = await browser.post(`/subscribe/confirm/${'A'.repeat(42)}${String.fromCharCode(65 + (i % 26))}`, { _csrf: csrf });
      expect(response.statusCode, `request ${i}`).toBe(404);
    }
    // The last one within the limit is a real link, and it works.
    expect((await browser.post(pat, { _csrf: csrf })).statusCode).toBe(200);
    const refused = await browser.post(sam, { _csrf: csrf });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('too many confirmations from your network in the last hour');
    expect((await subscriberState(ctx, 'sam@example.gov'))?.status).toBe('pending');
    // GET is not limited: the page still opens, so the person can come back later.
    expect((await browser.get(sam)).statusCode).toBe(200);
  });
});
