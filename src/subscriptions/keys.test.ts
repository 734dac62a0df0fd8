import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailHash, ipHash, signSubscriberLink, subscriberLinks, verifySubscriberLink } from './keys.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-test-secret-that-is-long-enough-98765';

describe('signed subscriber links', () => {
  const subscriberId = randomUUID();
  const topicId = randomUUID();

  it('verify for their own purpose and give back the subject', () => {
    const token = signSubscriberLink(SECRET, 'unsubscribe', { subscriberId });
    expect(verifySubscriberLink(SECRET, 'unsubscribe', token)).toEqual({ subscriberId });
    const scoped = signSubscriberLink(SECRET, 'unsubscribe', { subscriberId, topicId });
    expect(verifySubscriberLink(SECRET, 'unsubscribe', scoped)).toEqual({ subscriberId, topicId });
  });

  it('carry a full 256-bit MAC (at least 128 bits of unguessable secret)', () => {
    const token = signSubscriberLink(SECRET, 'preferences', { subscriberId });
    const mac = token.split('.')[1] as string;
    expect(Buffer.from(mac, 'base64url')).toHaveLength(32);
  });

  it('are refused for another purpose, under another secret, or with another subscriber id spliced in', () => {
    const token = signSubscriberLink(SECRET, 'preferences', { subscriberId });
    expect(verifySubscriberLink(SECRET, 'unsubscribe', token)).toBeNull();
    expect(verifySubscriberLink(OTHER_SECRET, 'preferences', token)).toBeNull();
    const someoneElse = signSubscriberLink(SECRET, 'preferences', { subscriberId: randomUUID() });
    const spliced = `${someoneElse.split('.')[0]}.${token.split('.')[1]}`;
    expect(verifySubscriberLink(SECRET, 'preferences', spliced)).toBeNull();
    // A topic-scoped token cut down to its subscriber part is not a valid "everything" token.
    const scoped = signSubscriberLink(SECRET, 'unsubscribe', { subscriberId, topicId });
    const [payload, mac] = scoped.split('.') as [string, string];
    const subscriberOnly = Buffer.from(payload, 'base64url').subarray(0, 16).toString('base64url');
    expect(verifySubscriberLink(SECRET, 'unsubscribe', `${subscriberOnly}.${mac}`)).toBeNull();
  });

  it('are refused when any character is changed, or when truncated or extended', () => {
    const token = signSubscriberLink(SECRET, 'unsubscribe', { subscriberId, topicId });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (index, replacement) => {
        fc.pre(token[index] !== replacement);
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        expect(verifySubscriberLink(SECRET, 'unsubscribe', tampered)).toBeNull();
      }),
      { numRuns: 300 },
    );
    for (let cut = 1; cut < token.length; cut += 7) {
      expect(verifySubscriberLink(SECRET, 'unsubscribe', token.slice(0, cut))).toBeNull();
    }
    expect(verifySubscriberLink(SECRET, 'unsubscribe', `${token}A`)).toBeNull();
  });

  it('are refused when they are not strings of the right shape', () => {
    for (const junk of [undefined, null, 42, '', '.', 'a.b', subscriberId, `${subscriberId}.${'A'.repeat(43)}`, 'x'.repeat(500)]) {
      expect(verifySubscriberLink(SECRET, 'unsubscribe', junk)).toBeNull();
    }
  });

  it('only sign lower-case UUIDs, so one subscriber has one spelling', () => {
    expect(() => signSubscriberLink(SECRET, 'unsubscribe', { subscriberId: subscriberId.toUpperCase() })).toThrow(/UUID/);
    expect(() => signSubscriberLink(SECRET, 'unsubscribe', { subscriberId: 'not-a-uuid' })).toThrow(/UUID/);
  });

  it('build the unsubscribe and preferences URLs on the public origin', () => {
    const links = subscriberLinks({ publicUrl: 'https://dispatch.example.gov', secret: SECRET }, { subscriberId, topicId });
    const unsubscribe = links.unsubscribeUrl.replace('https://dispatch.example.gov/unsubscribe/', '');
    const preferences = links.preferencesUrl.replace('https://dispatch.example.gov/preferences/open/', '');
    expect(verifySubscriberLink(SECRET, 'unsubscribe', unsubscribe)).toEqual({ subscriberId, topicId });
    expect(verifySubscriberLink(SECRET, 'preferences', preferences)).toEqual({ subscriberId });
  });
});

describe('keyed hashes', () => {
  it('differ by purpose and by secret, and are stable', () => {
    expect(emailHash(SECRET, 'a@example.gov')).toBe(emailHash(SECRET, 'a@example.gov'));
    expect(emailHash(SECRET, 'a@example.gov')).not.toBe(emailHash(OTHER_SECRET, 'a@example.gov'));
    expect(emailHash(SECRET, '192.0.2.1')).not.toContain(ipHash(SECRET, '192.0.2.1'));
    expect(ipHash(SECRET, '192.0.2.1')).toMatch(/^[0-9a-f]{32}$/);
  });
});
