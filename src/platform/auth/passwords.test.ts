import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_MIN_LENGTH, passwordProblem, verifyPassword } from './passwords.ts';

describe('password rules (NIST SP 800-63B)', () => {
  it('checks length in code points, not UTF-16 units', () => {
    expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH - 1) + 'b'.slice(1))).toMatch(/at least 15/);
    expect(passwordProblem('😀'.repeat(14))).toMatch(/at least 15/); // 28 UTF-16 units, 14 characters
    expect(passwordProblem('quiet lantern river')).toBeNull();
  });

  it('has no composition rules: lower-case words are fine, symbols not required', () => {
    expect(passwordProblem('purple elephants dance slowly')).toBeNull();
  });

  it('refuses common passwords whatever their case, and single repeated characters', () => {
    expect(passwordProblem('PasswordPassword')).toMatch(/too common/);
    expect(passwordProblem('qwertyuiop12345')).toMatch(/too common/);
    expect(passwordProblem('aaaaaaaaaaaaaaaaaaaa')).toMatch(/repeated or sequential/);
    expect(passwordProblem('abcabcabcabcabcabc')).toMatch(/repeated or sequential/);
    expect(passwordProblem('1234567890123456')).toMatch(/repeated or sequential/);
    expect(passwordProblem('zyxwvutsrqponmlk')).toMatch(/repeated or sequential/);
  });

  it('allows long passwords up to 128 characters and refuses longer ones', () => {
    expect(passwordProblem('word '.repeat(25))).toBeNull();
    expect(passwordProblem(`${'x'.repeat(129)}y`)).toMatch(/at most 128/);
  });

  it('refuses a password built on the e-mail address', () => {
    expect(passwordProblem('elizabeth-simpson-2024!', { email: 'elizabeth-simpson@example.gov' })).toMatch(/e-mail/);
  });

  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('a long enough test passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'a long enough test passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'a long enough test passphrasE')).toBe(false);
    expect(await verifyPassword(null, 'anything at all here')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything at all here')).toBe(false);
  });
});
