// Quoted-printable (RFC 2045 §6.7) for message bodies assembled from pieces. Every piece starts at
// the beginning of a line, and every piece that something is appended to ends with a soft line
// break, so the pieces can be encoded separately — a campaign's literal text once, a recipient's
// links per message — and simply concatenated: no escape is ever cut in two and no line grows
// past 76 characters however long the spliced value is.

const HEX = '0123456789ABCDEF';

/** Each byte as it is written mid-line: printable ASCII (but "="), space and tab stand for themselves. */
const encodedByte: string[] = Array.from({ length: 256 }, (_, b) =>
  (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9 ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`,
);

/** Longest encoded line, soft-break "=" included (RFC 2045). */
export const QP_MAX_LINE = 76;

// Lines are filled to 73 characters so a space or tab that ends up last on a line can still be
// written as "=20" / "=09" (RFC 2045 rule 3) and leave room for a soft break's "=".
const FILL = QP_MAX_LINE - 3;

/**
 * `text` (UTF-8) as quoted-printable lines with CRLF ends; LF and CRLF in the text are hard line
 * breaks. With `softBreakAtEnd` a last, unfinished line is closed with a soft break, so the next
 * piece starts a line of its own without changing the decoded text.
 */
export function encodeQuotedPrintable(text: string, options: { softBreakAtEnd: boolean }): string {
  const bytes = Buffer.from(text.replace(/\r\n/g, '\n'), 'utf8');
  let out = '';
  let line = '';
  const endLine = (ending: string) => {
    const last = line.charCodeAt(line.length - 1);
    if (last === 32 || last === 9) line = `${line.slice(0, -1)}${last === 32 ? '=20' : '=09'}`;
    out += line + ending;
    line = '';
  };
  for (const byte of bytes) {
    if (byte === 10) {
      endLine('\r\n');
      continue;
    }
    const encoded = encodedByte[byte]!;
    if (line.length + encoded.length > FILL) endLine('=\r\n');
    line += encoded;
  }
  if (!options.softBreakAtEnd) endLine('');
  else if (line.length > 0) endLine('=\r\n');
  return out;
}

// Printable ASCII without "=": what URLs built by Dispatch consist of.
const PLAIN = /^[\x21-\x3c\x3e-\x7e]*$/;
const SLOT_LINE = QP_MAX_LINE - 1;

/**
 * A per-recipient value (a link) as a piece that starts and ends a line: the fast path for plain
 * ASCII only cuts it into lines, so a message costs a few slices rather than a byte loop.
 */
export function encodeQuotedPrintableSlot(value: string): string {
  if (!PLAIN.test(value)) return encodeQuotedPrintable(value, { softBreakAtEnd: true });
  if (value.length <= SLOT_LINE) return `${value}=\r\n`;
  let out = '';
  for (let at = 0; at < value.length; at += SLOT_LINE) out += `${value.slice(at, at + SLOT_LINE)}=\r\n`;
  return out;
}
