import { Secret, TOTP } from 'otpauth';

// RFC 6238 defaults that every authenticator app understands: SHA-1, 6 digits, 30-second steps.
const PERIOD_SECONDS = 30;

function totpFor(base32Secret: string, label = 'staff'): TOTP {
  return new TOTP({
    issuer: 'Dispatch',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** A new random 160-bit TOTP seed, base32-encoded. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(base32Secret: string, accountLabel: string): string {
  return totpFor(base32Secret, accountLabel).toString();
}

/**
 * Checks a code, allowing one step of clock drift either way. Returns the matched time step, or
 * null. Callers refuse a step that is not newer than the last accepted one, so a code that was
 * overheard cannot be used again.
 */
export function matchTotp(base32Secret: string, code: string, now: Date): number | null {
  const cleaned = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(cleaned)) return null;
  const timestamp = now.getTime();
  const delta = totpFor(base32Secret).validate({ token: cleaned, timestamp, window: 1 });
  if (delta === null) return null;
  return Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
}

/** The current code for a seed (used by tests and the CLI, never shown in the UI). */
export function currentTotp(base32Secret: string, now: Date): string {
  return totpFor(base32Secret).generate({ timestamp: now.getTime() });
}
