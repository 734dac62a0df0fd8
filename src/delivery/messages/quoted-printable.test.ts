import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { encodeQuotedPrintable, encodeQuotedPrintableSlot, QP_MAX_LINE } from './quoted-printable.ts';

// Pieces encoded separately and concatenated must decode to the concatenated text, whatever the
// text: this is what lets a campaign's body be encoded once and a recipient's links per message.

/** Decodes a quoted-printable UTF-8 body through mailparser, as a receiving client would. */
async function decode(body: string): Promise<string> {
  const mail = await simpleParser(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}`);
  return mail.text ?? '';
}

function expectValidLines(body: string) {
  for (const line of body.split('\r\n')) {
    expect(line.length, line).toBeLessThanOrEqual(QP_MAX_LINE);
    // RFC 2045 rule 3: no space or tab at the end of an encoded line.
    expect(line, JSON.stringify(line)).not.toMatch(/[ \t]$/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: printable ASCII, tab and space only.
    expect(line).toMatch(/^[\x09\x20-\x7e]*$/);
    // Every "=" starts a whole escape or ends the line (a soft break).
    expect(line.replace(/=[0-9A-F]{2}/g, '').replace(/=$/, '')).not.toContain('=');
  }
  expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
}

// Text with what makes quoted-printable hard: "=", spaces and tabs near line ends, long runs, line
// breaks of both kinds, and characters of one to four UTF-8 bytes.
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('=', ' ', '\t', '\n', '\r\n', '.', 'a', 'é', '—', '😀', '=\n', ' \n'),
    fc.string({ maxLength: 90, unit: 'grapheme' }),
  ),
  maxLength: 40,
});
const link = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '/', ':'), maxLength: 300 }),
  tricky,
);

describe('quoted-printable pieces', () => {
  it('encodes one text to valid lines that decode back to it', async () => {
    await fc.assert(
      fc.asyncProperty(tricky, async (text) => {
        const body = encodeQuotedPrintable(text, { softBreakAtEnd: false });
        expectValidLines(body);
        expect(await decode(body)).toBe(text.replace(/\r\n/g, '\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('literal pieces and spliced values, each encoded on its own, decode to the whole text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(tricky, link), { maxLength: 4 }), tricky, async (pairs, last) => {
        let body = '';
        let text = '';
        for (const [literal, value] of pairs) {
          body += encodeQuotedPrintable(literal, { softBreakAtEnd: true }) + encodeQuotedPrintableSlot(value);
          text += literal + value;
        }
        body += encodeQuotedPrintable(last, { softBreakAtEnd: false });
        text += last;
        expectValidLines(body);
        expect(await decode(body)).toBe(text.replace(/\r\n/g, '\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('cuts a long plain link into whole lines without escaping it', () => {
    const url = `https://dispatch.example.gov/unsubscribe/${'A'.repeat(43)}.${'b'.repeat(43)}`;
    const encoded = encodeQuotedPrintableSlot(url);
    expect(encoded.replace(/=\r\n/g, '')).toBe(url);
    expect(encoded.endsWith('=\r\n')).toBe(true);
    expect(encodeQuotedPrintableSlot('a=b c')).toBe('a=3Db c=\r\n');
  });
});
