import { describe, expect, it } from 'vitest';
import { parseSubscriberEmail } from './subscriber-email.ts';

const ok = (raw: string) => {
  const parsed = parseSubscriberEmail(raw);
  if (!parsed.ok) throw new Error(`expected ${raw} to pass: ${parsed.message}`);
  return parsed.email;
};
const refusal = (raw: string) => {
  const parsed = parseSubscriberEmail(raw);
  if (parsed.ok) throw new Error(`expected ${raw} to be refused, got ${parsed.email}`);
  return parsed.message;
};

describe('subscriber e-mail addresses', () => {
  it('are trimmed and lower-cased, so addresses differing in case are one subscriber', () => {
    expect(ok('  Reader@Example.GOV ')).toBe('reader@example.gov');
    expect(ok('READER@example.gov')).toBe(ok('reader@EXAMPLE.gov'));
    expect(ok("o'brien+dispatch@sub.example.gov")).toBe("o'brien+dispatch@sub.example.gov");
  });

  it('keep internationalised domains in their ASCII form', () => {
    expect(ok('leser@bücher.example')).toBe('leser@xn--bcher-kva.example');
    expect(ok('leser@BÜCHER.example')).toBe('leser@xn--bcher-kva.example');
  });

  it('refuse non-ASCII local parts with a clear reason', () => {
    expect(refusal('josé@example.gov')).toMatch(/before the @/);
  });

  it('enforce the RFC 5321 limits', () => {
    expect(ok(`${'a'.repeat(64)}@example.gov`)).toHaveLength(76);
    expect(refusal(`${'a'.repeat(65)}@example.gov`)).toMatch(/at most 64/);
    const longDomain = `${Array.from({ length: 4 }, () => 'd'.repeat(60)).join('.')}.gov`;
    expect(refusal(`${'a'.repeat(10)}@${longDomain}`)).toMatch(/254|253/);
    expect(refusal(`a@${'d'.repeat(64)}.gov`)).toMatch(/domain/);
  });

  it('refuse what is not an address, each with a message a person understands', () => {
    expect(refusal('')).toBe('Enter your e-mail address.');
    for (const raw of [
      'reader',
      'reader@',
      '@example.gov',
      'a b@example.gov',
      'a@@example.gov',
      'a@example',
      'a..b@example.gov',
      '.a@example.gov',
      'a@-example.gov',
      'a@example.123',
      '"quoted"@example.gov',
    ]) {
      expect(refusal(raw).length, raw).toBeGreaterThan(10);
    }
  });
});
