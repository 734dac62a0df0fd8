import { createHmac, timingSafeEqual } from 'node:crypto';

// The bounce webhook's authentication: `Dispatch-Signature: t=<unix seconds>,v1=<hex>`, where the
// hex is HMAC-SHA256 under BOUNCE_WEBHOOK_SECRET of "<t>." followed by the raw body bytes. The
// timestamp inside the MAC makes a captured request useless after the tolerance; several v1 values
// are accepted so a provider can sign with an old and a new secret while it is being rotated.

export const SIGNATURE_HEADER = 'dispatch-signature';
/** How far the signed time may be from ours, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'stale' | 'mismatch';

function mac(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value a sender puts on `body` at `at` (for providers' adapters and for tests). */
export function signWebhookBody(secret: string, body: Buffer | string, at: Date): string {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return `t=${timestamp},v1=${mac(secret, timestamp, Buffer.from(body)).toString('hex')}`;
}

/** Whether `header` is a genuine, fresh signature of exactly these body bytes. */
export function verifyWebhookSignature(secret: string, header: string | string[] | undefined, body: Buffer, now: Date): SignatureVerdict {
  if (header === undefined || header === '') return 'missing';
  if (typeof header !== 'string' || header.length > 1000) return 'malformed';
  let timestamp: string | null = null;
  const given: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2) as [string, string?];
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = value;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) given.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === null || given.length === 0) return 'malformed';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = mac(secret, timestamp, body);
  // Compare against every candidate, so the time taken says nothing about which one matched.
  let matched = false;
  for (const candidate of given) if (timingSafeEqual(candidate, expected)) matched = true;
  return matched ? 'valid' : 'mismatch';
}
