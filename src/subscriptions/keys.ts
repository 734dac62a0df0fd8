import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

// Keyed hashes and signed links for subscribers, each under its own key derived from
// DISPATCH_SECRET, so one purpose's value can never be replayed as another's.
//
// Changing DISPATCH_SECRET invalidates every unsubscribe and preferences link already mailed and
// makes the suppression list unmatchable (README, "Operating"): keep the secret stable.

const cache = new Map<string, Buffer>();
function key(secret: string, purpose: string): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let derived = cache.get(id);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', secret, 'dispatch-subscriptions', purpose, 32));
    cache.set(id, derived);
  }
  return derived;
}

/** The suppression-list key of an already normalised address: what outlives "delete me". */
export function emailHash(secret: string, normalisedEmail: string): string {
  return createHmac('sha256', key(secret, 'suppression')).update(normalisedEmail).digest('hex');
}

/** Consent evidence keeps a keyed hash of the client address, never the address itself. */
export function ipHash(secret: string, ip: string): string {
  return createHmac('sha256', key(secret, 'consent-ip')).update(ip).digest('hex').slice(0, 32);
}

// ---------------------------------------------------------------------------------------------
// Long-lived links that every subscriber e-mail carries (unsubscribe, preferences). They are
// signed rather than stored: a million recipients per campaign would otherwise mean a million token
// rows per send. A link is "<payload>.<mac>", both base64url; the payload is the subscriber id
// (16 bytes of its UUID) and, for a topic-scoped unsubscribe, the topic id; the MAC is a full
// 256-bit HMAC-SHA256 over purpose and payload. Deleting the subscriber kills every link to it.

export type SubscriberLinkPurpose = 'unsubscribe' | 'preferences';

export interface SubscriberLinkSubject {
  subscriberId: string;
  /** Only for unsubscribe links: leave this topic rather than everything. */
  topicId?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidBytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');
const uuidText = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

function mac(secret: string, purpose: SubscriberLinkPurpose, payload: Buffer): Buffer {
  return createHmac('sha256', key(secret, `link:${purpose}`))
    .update(payload)
    .digest();
}

/** Signs a link token for a subscriber (and optionally one topic). Ids must be lower-case UUIDs. */
export function signSubscriberLink(secret: string, purpose: SubscriberLinkPurpose, subject: SubscriberLinkSubject): string {
  const ids = [subject.subscriberId, ...(subject.topicId ? [subject.topicId] : [])];
  for (const id of ids) if (!UUID.test(id)) throw new Error(`signSubscriberLink: not a lower-case UUID: ${id}`);
  const payload = Buffer.concat(ids.map(uuidBytes));
  return `${payload.toString('base64url')}.${mac(secret, purpose, payload).toString('base64url')}`;
}

/** The subject of a genuine token for `purpose`; null for anything tampered, truncated or foreign. */
export function verifySubscriberLink(secret: string, purpose: SubscriberLinkPurpose, token: unknown): SubscriberLinkSubject | null {
  if (typeof token !== 'string' || token.length > 120) return null;
  const match = /^([A-Za-z0-9_-]{22}|[A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const payload = Buffer.from(match[1]!, 'base64url');
  const given = Buffer.from(match[2]!, 'base64url');
  // Re-encoding must give back the same text, so no two spellings of one token exist.
  if (payload.toString('base64url') !== match[1] || given.toString('base64url') !== match[2]) return null;
  if (payload.length !== 16 && payload.length !== 32) return null;
  if (!timingSafeEqual(given, mac(secret, purpose, payload))) return null;
  const subscriberId = uuidText(payload.subarray(0, 16));
  return payload.length === 32 ? { subscriberId, topicId: uuidText(payload.subarray(16)) } : { subscriberId };
}

/** The per-recipient links every subscriber e-mail carries. */
export function subscriberLinks(config: { publicUrl: string; secret: string }, subject: SubscriberLinkSubject) {
  return {
    unsubscribeUrl: `${config.publicUrl}/unsubscribe/${signSubscriberLink(config.secret, 'unsubscribe', subject)}`,
    preferencesUrl: `${config.publicUrl}/preferences/open/${signSubscriberLink(config.secret, 'preferences', { subscriberId: subject.subscriberId })}`,
  };
}
