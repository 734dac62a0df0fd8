import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';

// Header fields of bulk messages, written once per campaign as 7-bit text with CRLF ends: RFC 2047
// encoded-words for anything that is not ASCII, folded at 76 characters where there is whitespace
// to fold at.

// Whatever could end a header line or smuggle one in (CR, LF, other controls) becomes a space.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const controls = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Header text on one line: controls become single spaces, ends trimmed. */
export function oneLine(value: string): string {
  return value.replace(controls, ' ').replace(/ {2,}/g, ' ').trim();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** An unstructured field ("Subject: …"): encoded-words only where needed, folded, CRLF-terminated. */
export function unstructuredField(name: string, value: string): string {
  const text = oneLine(value);
  // "=?" in plain text would read as the start of an encoded-word, so such text is encoded too.
  const encoded = PRINTABLE_ASCII.test(text) && !text.includes('=?') ? text : encodeWords(text, 'Q', 52, true);
  return `${foldLines(`${name}: ${encoded}`, 76)}\r\n`;
}

/** A display name as an RFC 5322 phrase: a quoted string when ASCII, encoded-words otherwise. */
export function phrase(name: string): string {
  const text = oneLine(name);
  return PRINTABLE_ASCII.test(text) && !text.includes('=?') ? quoteString(text) : encodeWord(text, 'Q', 52);
}

export interface Mailbox {
  name: string;
  /** local@domain with the domain in ASCII (punycode). */
  address: string;
  domain: string;
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Parses a configured sender such as `Community Policing Dispatch <dispatch@example.gov>`; throws when it is not one mailbox. */
export function parseMailbox(value: string, what: string): Mailbox {
  const [first, ...rest] = addressparser(oneLine(value), { flatten: true });
  const at = first?.address.lastIndexOf('@') ?? -1;
  if (!first || rest.length > 0 || at <= 0) throw new Error(`${what} must be one address like "Name <name@example.gov>": ${value}`);
  const local = first.address.slice(0, at);
  const domain = domainToASCII(first.address.slice(at + 1).toLowerCase());
  if (!LOCAL_PART.test(local) || domain === '') throw new Error(`${what} has an address that cannot be used in mail headers: ${value}`);
  return { name: first.name, address: `${local}@${domain}`, domain };
}

/** `From: "Name" <address>` (or the bare address), CRLF-terminated. */
export function addressField(name: string, mailbox: Mailbox): string {
  const value = mailbox.name ? `${phrase(mailbox.name)} <${mailbox.address}>` : mailbox.address;
  return `${foldLines(`${name}: ${value}`, 76)}\r\n`;
}

/** `List-Id: "Topic name" <slug.domain>` (RFC 2919), CRLF-terminated. */
export function listIdField(topicName: string, listId: string): string {
  return `${foldLines(`List-Id: ${phrase(topicName)} <${listId}>`, 76)}\r\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** An RFC 5322 date-time in UTC: "Thu, 01 Oct 2026 13:00:00 +0000". */
export function rfc5322Date(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
