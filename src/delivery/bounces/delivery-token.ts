import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

// A delivery token names one (campaign, subscriber) delivery. It travels in three places: the VERP
// envelope sender `bounces+<token>@domain` (so a bounce addressed to it names its delivery even
// when the report quotes nothing), the left part of the Message-ID, and the X-Dispatch-Delivery
// header. It is signed rather than stored: a million-recipient send writes no token rows.
//
// Layout, before encoding: varint(campaign id) ‖ subscriber UUID (16 bytes) ‖ MAC (16 bytes), where
// the MAC is HMAC-SHA256 under a key derived from DISPATCH_SECRET for this purpose only, over the
// bytes before it, truncated to 128 bits. The encoding is lower-case base32 (RFC 4648 alphabet, no
// padding) because MTAs may change the case of a local part, and both an address's local part and
// a Message-ID take those characters without quoting.
//
// Length: 53 characters for campaign ids below 128, 55 below 16,384, 56 below 2,097,152 (so
// "bounces+" and the token stay within RFC 5321's 64-character local part), 64 at most.

/** Which delivery a bounce belongs to. */
export interface DeliveryRef {
  campaignId: number;
  subscriberId: string;
}

/** Longest token there can be (campaign id 2^53 − 1); anything longer is not ours. */
export const MAX_DELIVERY_TOKEN_LENGTH = 64;
const MIN_DELIVERY_TOKEN_LENGTH = 53;
const UUID_BYTES = 16;
const MAC_BYTES = 16;

const keys = new Map<string, Buffer>();
function tokenKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'dispatch-delivery', 'delivery-token', 32));
    keys.set(secret, key);
  }
  return key;
}

const mac = (secret: string, payload: Buffer) => createHmac('sha256', tokenKey(secret)).update(payload).digest().subarray(0, MAC_BYTES);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Little-endian base-128 with a continuation bit: small campaign ids take one byte. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** The value and its length in bytes, or null when it runs off the end or past 2^53. */
function readVarint(bytes: Buffer): { value: number; length: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < Math.min(bytes.length, 8); i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return Number.isSafeInteger(value) ? { value, length: i + 1 } : null;
    scale *= 0x80;
  }
  return null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const VALUE_OF = new Map([...ALPHABET].map((char, i) => [char, i]));

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Bytes of lower-case base32 text, or null for a character outside the alphabet. */
function fromBase32(text: string): Buffer | null {
  const bytes: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of text) {
    const value = VALUE_OF.get(char);
    if (value === undefined) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A short signed token naming one delivery, for the VERP envelope sender and the X-Dispatch-Delivery header. */
export function deliveryToken(secret: string, ref: DeliveryRef): string {
  if (!Number.isSafeInteger(ref.campaignId) || ref.campaignId < 1) throw new Error(`deliveryToken: not a campaign id: ${ref.campaignId}`);
  if (!UUID.test(ref.subscriberId)) throw new Error(`deliveryToken: not a lower-case UUID: ${ref.subscriberId}`);
  const payload = Buffer.concat([varint(ref.campaignId), Buffer.from(ref.subscriberId.replaceAll('-', ''), 'hex')]);
  return base32(Buffer.concat([payload, mac(secret, payload)]));
}

/**
 * The delivery a genuine token names; null for anything tampered, truncated or foreign. Case does
 * not matter (a relay may have upper-cased the local part it came back in); every other spelling
 * of the same bytes (trailing bits, a padded varint) is refused, so a token has one form.
 */
export function readDeliveryToken(secret: string, token: string): DeliveryRef | null {
  if (typeof token !== 'string' || token.length < MIN_DELIVERY_TOKEN_LENGTH || token.length > MAX_DELIVERY_TOKEN_LENGTH) return null;
  const text = token.toLowerCase();
  const bytes = fromBase32(text);
  if (!bytes) return null;
  const campaign = readVarint(bytes);
  if (!campaign || campaign.value < 1) return null;
  const payloadLength = campaign.length + UUID_BYTES;
  if (bytes.length !== payloadLength + MAC_BYTES) return null;
  const payload = bytes.subarray(0, payloadLength);
  if (!timingSafeEqual(bytes.subarray(payloadLength), mac(secret, payload))) return null;
  const ref = { campaignId: campaign.value, subscriberId: uuidText(payload.subarray(campaign.length)) };
  // Only the one canonical spelling: no non-zero trailing bits, no over-long varint.
  return deliveryToken(secret, ref) === text ? ref : null;
}
