import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import { isBlockedAddress } from '../../subscriptions/suppression.ts';
import { deliveryToken } from './delivery-token.ts';
import { WEBHOOK_BODY_LIMIT } from './routes.ts';
import { bounceTestApp } from './test-support.ts';
import { signWebhookBody } from './webhook-signature.ts';

const WEBHOOK_SECRET = 'whsec-a-shared-secret-of-at-least-32-chars';

async function webhookApp(
  handle: Parameters<typeof bounceTestApp>[0],
  env: Record<string, string> = { BOUNCE_WEBHOOK_SECRET: WEBHOOK_SECRET },
) {
  const clock = new FixedClock(new Date('2026-07-14T15:00:00Z'));
  const t = await bounceTestApp(handle, { env, clock });
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/webhooks/bounces', payload: body, headers: { 'content-type': 'application/json', ...headers } });
  const signed = (body: string, at = clock.now(), secret = WEBHOOK_SECRET) =>
    post(body, { 'dispatch-signature': signWebhookBody(secret, body, at) });
  return { ...t, clock, post, signed };
}

describeEachDatabase('the bounce webhook', ({ handle }) => {
  it('accepts a signed batch and acts on every event, by token, Message-ID or address', async () => {
    const t = await webhookApp(handle());
    const secret = t.ctx.config.secret;
    const byToken = await t.subscriber('token@county-mail.example');
    const byMessageId = await t.subscriber('message-id@county-mail.example');
    const byAddress = await t.subscriber('address@county-mail.example');
    const soft = await t.subscriber('soft@county-mail.example');
    const body = JSON.stringify({
      events: [
        {
          type: 'bounce',
          bounce_type: 'hard',
          delivery: deliveryToken(secret, { campaignId: 4, subscriberId: byToken }),
          status: '5.1.1',
          diagnostic: 'user unknown',
        },
        { type: 'complaint', message_id: `<${deliveryToken(secret, { campaignId: 4, subscriberId: byMessageId })}@dispatch.example.gov>` },
        { type: 'bounce', bounce_type: 'hard', recipient: 'Address@county-mail.example', occurred_at: '2026-07-14T14:59:00Z' },
        { type: 'bounce', bounce_type: 'soft', delivery: deliveryToken(secret, { campaignId: 4, subscriberId: soft }), status: '4.2.2' },
        { type: 'bounce', bounce_type: 'hard', recipient: 'stranger@nowhere.example', provider_field: 'ignored' },
      ],
    });

    const response = await t.signed(body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 5 });
    expect(await t.eligible(byToken)).toBe(false);
    expect(await t.eligible(byMessageId)).toBe(false);
    expect(await t.eligible(byAddress)).toBe(false);
    expect(await t.eligible(soft)).toBe(true);
    expect(await isBlockedAddress(t.ctx.db, secret, 'message-id@county-mail.example')).toBe(true);
    const rows = await t.bounceRows();
    expect(rows.map((r) => [r.campaign_id, r.subscriber_id, r.kind, r.source]).sort()).toEqual(
      [
        [4, byToken, 'hard', 'webhook'],
        [4, byMessageId, 'complaint', 'webhook'],
        [null, byAddress, 'hard', 'webhook'],
        [4, soft, 'soft', 'webhook'],
        [null, null, 'hard', 'webhook'],
      ].sort(),
    );

    // The provider retries the same batch: nothing is counted twice.
    expect((await t.signed(body)).statusCode).toBe(200);
    expect((await t.bounceRows()).filter((r) => r.subscriber_id === soft)).toHaveLength(1);
  });

  it('refuses a missing, wrong, stale or future signature with 401 and writes nothing', async () => {
    const t = await webhookApp(handle());
    const id = await t.subscriber('target@county-mail.example');
    const body = JSON.stringify({ events: [{ type: 'complaint', recipient: 'target@county-mail.example' }] });
    const now = t.clock.now();
    const cases = [
      await t.post(body),
      await t.post(body, { 'dispatch-signature': 'nonsense' }),
      await t.signed(body, now, 'not-the-webhook-secret-but-just-as-long-00'),
      await t.post(body, { 'dispatch-signature': signWebhookBody(WEBHOOK_SECRET, body.replace('complaint', 'bounce'), now) }),
      await t.signed(body, new Date(now.getTime() - 6 * 60_000)),
      await t.signed(body, new Date(now.getTime() + 6 * 60_000)),
    ];
    for (const response of cases) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ error: expect.any(String) });
    }
    expect(cases.map((r) => r.json().error)).toEqual([
      'missing Dispatch-Signature header',
      'malformed Dispatch-Signature header',
      'signature does not match',
      'signature does not match',
      'signature timestamp too old or in the future',
      'signature timestamp too old or in the future',
    ]);
    expect(await t.bounceRows()).toEqual([]);
    expect(await t.eligible(id)).toBe(true);
    // Within the tolerance it is accepted.
    expect((await t.signed(body, new Date(now.getTime() - 4 * 60_000))).statusCode).toBe(200);
  });

  it('answers 400 naming the bad field for malformed bodies, and writes nothing', async () => {
    const t = await webhookApp(handle());
    const id = await t.subscriber('valid@county-mail.example');
    const good = { type: 'bounce', bounce_type: 'hard', recipient: 'valid@county-mail.example' };
    const cases: [string, string][] = [
      ['{"events": [', 'body: not valid JSON'],
      ['[]', 'body: Invalid input: expected object'],
      ['{"events": []}', 'events:'],
      [JSON.stringify({ events: [good, { type: 'bounce', recipient: 'x@y.example' }] }), 'events.1.bounce_type:'],
      [JSON.stringify({ events: [good, { type: 'spam', recipient: 'x@y.example' }] }), 'events.1.type:'],
      [JSON.stringify({ events: [{ ...good, status: '550' }] }), 'events.0.status:'],
      [JSON.stringify({ events: [{ ...good, occurred_at: 'yesterday' }] }), 'events.0.occurred_at:'],
      [JSON.stringify({ events: [{ type: 'complaint' }] }), 'events.0.recipient:'],
    ];
    for (const [body, error] of cases) {
      const response = await t.signed(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.json().error, body).toContain(error);
    }
    // One bad event refuses the whole batch: the good one before it was not recorded.
    expect(await t.bounceRows()).toEqual([]);
    expect(await t.eligible(id)).toBe(true);
  });

  it('does not exist without BOUNCE_WEBHOOK_SECRET', async () => {
    const t = await webhookApp(handle(), {});
    const body = JSON.stringify({ events: [{ type: 'complaint', recipient: 'a@b.example' }] });
    const response = await t.signed(body);
    expect(response.statusCode).toBe(404);
    expect(await t.bounceRows()).toEqual([]);
  });

  it('refuses a body over the limit with 413, and other content types with 415', async () => {
    const t = await webhookApp(handle());
    const huge = JSON.stringify({ events: [{ type: 'complaint', recipient: 'a@b.example', diagnostic: 'x'.repeat(WEBHOOK_BODY_LIMIT) }] });
    const tooLarge = await t.signed(huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({ error: `body larger than ${WEBHOOK_BODY_LIMIT} bytes` });

    const form = 'events=1';
    const wrongType = await t.post(form, {
      'content-type': 'application/x-www-form-urlencoded',
      'dispatch-signature': signWebhookBody(WEBHOOK_SECRET, form, t.clock.now()),
    });
    expect(wrongType.statusCode).toBe(415);
    expect(await t.bounceRows()).toEqual([]);
  });

  it('needs no CSRF token or cookie, and other routes still parse JSON and forms as before', async () => {
    const t = await webhookApp(handle());
    const body = JSON.stringify({ events: [{ type: 'complaint', recipient: 'a@b.example' }] });
    // A provider's request carries no cookie, no CSRF token and no Origin of ours.
    const response = await t.post(body, {
      'dispatch-signature': signWebhookBody(WEBHOOK_SECRET, body, t.clock.now()),
      origin: 'https://provider.example',
    });
    expect(response.statusCode).toBe(200);
    // Elsewhere CSRF still applies to a POST without a token.
    const login = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: 'email=a%40b.example&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(login.statusCode).toBe(403);
  });
});
