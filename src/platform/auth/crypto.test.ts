import { describe, expect, it } from 'vitest';
import { redactUrl } from '../log.ts';
import { SecretBox } from './secret-box.ts';
import { hashToken, looksLikeToken, newToken, safeEqual } from './tokens.ts';
import { currentTotp, matchTotp, newTotpSecret } from './totp.ts';

describe('tokens', () => {
  it('are 256-bit base64url strings, distinct each time, stored as SHA-256 hex', () => {
    const tokens = new Set(Array.from({ length: 100 }, newToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(looksLikeToken(token)).toBe(true);
    const [token] = tokens;
    expect(Buffer.from(token as string, 'base64url')).toHaveLength(32);
    expect(hashToken(token as string)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token as string)).not.toContain(token);
  });

  it('refuses anything that is not shaped like a token before any lookup', () => {
    for (const bad of ['', 'short', `${newToken()}x`, `${newToken().slice(0, 42)}!`, undefined, 42])
      expect(looksLikeToken(bad)).toBe(false);
  });

  it('compares secrets in constant time, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('keeps them out of logged URLs', () => {
    const token = newToken();
    expect(redactUrl(`/setup/${token}`)).toBe('/setup/[token]');
    expect(redactUrl(`/account/recover/${token}?x=1`)).toBe('/account/recover/[token]?x=1');
    expect(redactUrl('/articles/x-chat-school-resource-officer-mou')).toBe('/articles/x-chat-school-resource-officer-mou');
    // Signed subscriber links (payload.mac) and addresses from the subscribe box.
    const signed = `${'p'.repeat(22)}.${token}`;
    expect(redactUrl(`/unsubscribe/${signed}`)).toBe('/unsubscribe/[token]');
    expect(redactUrl(`/preferences/open/${'q'.repeat(43)}.${token}?notice=saved`)).toBe('/preferences/open/[token]?notice=saved');
    expect(redactUrl('/subscribe?email=reader%40example.gov&topic=events')).toBe('/subscribe?email=[address]&topic=events');
    expect(redactUrl('/subscribe?topic=events&EMAIL=a@b.gov')).toBe('/subscribe?topic=events&EMAIL=[address]');
  });
});

describe('SecretBox', () => {
  it('round-trips, uses a fresh IV each time, and detects tampering or another key', () => {
    const box = new SecretBox('a'.repeat(40), 'totp-seed');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 3), `${parts[3]?.slice(0, -2)}AA`].join('.');
    expect(() => box.open(flipped)).toThrow();
    expect(() => new SecretBox('b'.repeat(40), 'totp-seed').open(sealed)).toThrow();
    expect(() => new SecretBox('a'.repeat(40), 'other-purpose').open(sealed)).toThrow();
  });
});

describe('TOTP', () => {
  it('accepts the current code and one step of drift, and nothing further', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-03-01T10:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(matchTotp(secret, currentTotp(secret, now), now)).toBe(step);
    expect(matchTotp(secret, currentTotp(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotp(secret, currentTotp(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(matchTotp(secret, currentTotp(secret, new Date(now.getTime() - 90_000)), now)).toBeNull();
    expect(matchTotp(secret, '12345', now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
  });
});
