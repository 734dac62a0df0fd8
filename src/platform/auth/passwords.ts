import { hash, verify } from '@node-rs/argon2';
import commonPasswords from './common-passwords.ts';

// argon2id with OWASP's recommended floor (19 MiB, 2 passes, 1 lane).
// (`algorithm: 2` is Algorithm.Argon2id; the enum is a const enum we cannot import under isolatedModules.)
const argonOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

// Verifying against this when the account does not exist keeps the answer's timing the same for
// known and unknown addresses.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash; with no hash it still spends the same effort and fails. */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('not-a-real-password-just-for-timing');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

/**
 * NIST SP 800-63B-4 rules: a length floor (15, as some staff sign in with a password alone), a
 * generous ceiling, no composition rules, and a refusal of commonly used passwords.
 * Returns a message for the person, or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length; // code points, as NIST counts them
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return 'This password is too common. Choose one that others are unlikely to use.';
  const mailbox = context.email?.toLowerCase().split('@')[0] ?? '';
  if (mailbox.length >= 4 && lowered.includes(mailbox)) return 'Do not use your e-mail address in your password.';
  if (isRepetitiveOrSequential(lowered)) return 'Avoid repeated or sequential characters such as “abcabc” or “123456”.';
  return null;
}

/** NIST's examples of guessable passwords: a short pattern repeated, or a run like 1234… or abcd…. */
function isRepetitiveOrSequential(password: string): boolean {
  const chars = [...password];
  for (let unit = 1; unit <= 4; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  const step = (a: string, b: string) => {
    const [x, y] = [a.codePointAt(0) ?? 0, b.codePointAt(0) ?? 0];
    // Digits wrap around (…8, 9, 0, 1…), as people type them.
    if (/\d/.test(a) && /\d/.test(b)) return (((y - x) % 10) + 10) % 10 === 1 ? 1 : (((x - y) % 10) + 10) % 10 === 1 ? -1 : 0;
    return y - x;
  };
  const first = step(chars[0] ?? '', chars[1] ?? '');
  return (first === 1 || first === -1) && chars.slice(1).every((c, i) => step(chars[i] as string, c) === first);
}
