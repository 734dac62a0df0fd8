import { domainToASCII } from 'node:url';

// Subscriber addresses are checked against the limits of RFC 5321 (the SMTP envelope) rather than
// a loose "looks like an e-mail" test, because an address the mail server will refuse is worse
// than a clear error now. Domains may be internationalised (they are stored in their ASCII, punycode
// form); local parts must be ASCII, since SMTPUTF8 support on receiving servers cannot be assumed.

export type ParsedEmail = { ok: true; email: string } | { ok: false; message: string };

/** RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain, 256 of path including "<" and ">". */
export const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS = 254;

// RFC 5322 dot-atom text: unquoted local parts only. Quoted local parts ("a b"@x) are legal but so
// rare, and so often refused downstream, that a clear refusal serves people better.
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Checks and normalises an address: trimmed, lower-cased, domain in ASCII. */
export function parseSubscriberEmail(raw: string): ParsedEmail {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: 'Enter your e-mail address.' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, message: 'Enter an e-mail address like name@example.gov.' };
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);

  if (local.includes('@') || /\s/.test(trimmed)) {
    return { ok: false, message: 'An e-mail address has one @ and no spaces, like name@example.gov.' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for non-ASCII characters
  if (/[^\x00-\x7f]/.test(local)) {
    return {
      ok: false,
      message: "The part before the @ can only use letters A–Z, digits and . ! # $ % & ' * + - / = ? ^ _ ` { | } ~ (no accented letters).",
    };
  }
  if (Buffer.byteLength(local) > MAX_LOCAL_PART) {
    return { ok: false, message: `The part before the @ can be at most ${MAX_LOCAL_PART} characters long.` };
  }
  if (local.split('.').some((atom) => !ATOM.test(atom))) {
    return { ok: false, message: 'The part before the @ has a character or a dot that an e-mail address cannot have there.' };
  }

  const asciiDomain = domainToASCII(domain.toLowerCase());
  const labels = asciiDomain.split('.');
  if (asciiDomain === '' || labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1) ?? '')) {
    return { ok: false, message: 'The part after the @ is not a valid domain name, like example.gov.' };
  }
  if (asciiDomain.length > 253) return { ok: false, message: 'The domain after the @ is too long (253 characters at most).' };

  const email = `${local.toLowerCase()}@${asciiDomain}`;
  if (email.length > MAX_ADDRESS) return { ok: false, message: `An e-mail address can be at most ${MAX_ADDRESS} characters long.` };
  return { ok: true, email };
}
