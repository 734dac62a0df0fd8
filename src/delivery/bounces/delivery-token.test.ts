import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryToken, MAX_DELIVERY_TOKEN_LENGTH, readDeliveryToken } from './delivery-token.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-test-secret-that-is-long-enough-98765';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

const ref = fc.record({
  campaignId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  subscriberId: fc.uuid().map((id) => id.toLowerCase()),
});

describe('delivery tokens', () => {
  it('round-trip every delivery, in lower-case base32 that fits a VERP local part', () => {
    fc.assert(
      fc.property(ref, (delivery) => {
        const token = deliveryToken(SECRET, delivery);
        expect(token).toMatch(/^[a-z2-7]+$/);
        expect(token.length).toBeLessThanOrEqual(MAX_DELIVERY_TOKEN_LENGTH);
        if (delivery.campaignId < 2 ** 21) expect(`bounces+${token}`.length).toBeLessThanOrEqual(64);
        expect(readDeliveryToken(SECRET, token)).toEqual(delivery);
      }),
    );
  });

  it('are deterministic, and differ for different deliveries', () => {
    const subscriberId = randomUUID();
    expect(deliveryToken(SECRET, { campaignId: 3, subscriberId })).toBe(deliveryToken(SECRET, { campaignId: 3, subscriberId }));
    expect(deliveryToken(SECRET, { campaignId: 4, subscriberId })).not.toBe(deliveryToken(SECRET, { campaignId: 3, subscriberId }));
    expect(deliveryToken(SECRET, { campaignId: 3, subscriberId: randomUUID() })).not.toBe(
      deliveryToken(SECRET, { campaignId: 3, subscriberId }),
    );
  });

  it('carry a 128-bit MAC', () => {
    // 1 byte of campaign id + 16 of UUID + 16 of MAC = 33 bytes = 53 base32 characters.
    expect(deliveryToken(SECRET, { campaignId: 1, subscriberId: randomUUID() })).toHaveLength(53);
  });

  it('survive a relay changing their case', () => {
    fc.assert(
      fc.property(ref, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (delivery, upper) => {
        const token = deliveryToken(SECRET, delivery);
        const mixed = [...token].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('');
        expect(readDeliveryToken(SECRET, mixed)).toEqual(delivery);
      }),
    );
  });

  it('are refused when any character is changed (case aside)', () => {
    fc.assert(
      fc.property(ref, fc.nat(), fc.integer({ min: 1, max: 31 }), (delivery, at, shift) => {
        const token = deliveryToken(SECRET, delivery);
        const i = at % token.length;
        const changed = ALPHABET[(ALPHABET.indexOf(token[i] as string) + shift) % 32] as string;
        expect(readDeliveryToken(SECRET, `${token.slice(0, i)}${changed}${token.slice(i + 1)}`)).toBeNull();
      }),
    );
  });

  it('are refused when truncated or extended', () => {
    fc.assert(
      fc.property(ref, fc.nat(), fc.stringMatching(/^[a-z2-7]{1,8}$/), (delivery, cut, extra) => {
        const token = deliveryToken(SECRET, delivery);
        expect(readDeliveryToken(SECRET, token.slice(0, cut % token.length))).toBeNull();
        expect(readDeliveryToken(SECRET, token + extra)).toBeNull();
      }),
    );
  });

  it('are refused under another secret, and when one delivery is spliced onto another MAC', () => {
    const subscriberId = randomUUID();
    const token = deliveryToken(SECRET, { campaignId: 5, subscriberId });
    expect(readDeliveryToken(OTHER_SECRET, token)).toBeNull();
    const other = deliveryToken(SECRET, { campaignId: 5, subscriberId: randomUUID() });
    // Same lengths: the first 27 characters are (mostly) payload, the rest (mostly) MAC.
    expect(readDeliveryToken(SECRET, other.slice(0, 27) + token.slice(27))).toBeNull();
  });

  it('refuse anything that is not a token', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(readDeliveryToken(SECRET, text)).toBeNull();
      }),
    );
    expect(readDeliveryToken(SECRET, 'a'.repeat(53))).toBeNull();
    expect(readDeliveryToken(SECRET, '')).toBeNull();
  });

  it('have one spelling: a last character with non-zero padding bits is refused', () => {
    const subscriberId = randomUUID();
    const token = deliveryToken(SECRET, { campaignId: 1, subscriberId });
    // 53 characters carry 265 bits for 264 bits of token: the last character's low bit is padding.
    const last = ALPHABET.indexOf(token.at(-1) as string);
    expect(last & 1).toBe(0);
    expect(readDeliveryToken(SECRET, token.slice(0, -1) + ALPHABET[last | 1])).toBeNull();
  });

  it('are only made for positive campaign ids and lower-case UUIDs', () => {
    const subscriberId = randomUUID();
    expect(() => deliveryToken(SECRET, { campaignId: 0, subscriberId })).toThrow(/campaign id/);
    expect(() => deliveryToken(SECRET, { campaignId: 1.5, subscriberId })).toThrow(/campaign id/);
    expect(() => deliveryToken(SECRET, { campaignId: 1, subscriberId: subscriberId.toUpperCase() })).toThrow(/UUID/);
  });
});
