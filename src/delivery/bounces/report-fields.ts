// The machine-readable parts of reports (message/delivery-status, message/feedback-report) and the
// quoted original's header block (text/rfc822-headers, message/rfc822) are all "Name: value"
// fields with folded continuation lines, in groups separated by blank lines (RFC 3464 §2.1: one
// per-message group, then one group per recipient).

/** Field names lower-cased; a repeated field keeps its first value. */
export type FieldGroup = Map<string, string>;

/** Every blank-line-separated group of fields in `text`. */
export function fieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let current: FieldGroup | null = null;
  let lastName: string | null = null;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (current && current.size > 0) groups.push(current);
      current = null;
      lastName = null;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      // A folded continuation of the previous field.
      if (current && lastName) current.set(lastName, `${current.get(lastName)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      lastName = null;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    current ??= new Map();
    if (current.has(name)) {
      // A repeated field: keep the first, and do not glue the repeat's continuation lines onto it.
      lastName = null;
      continue;
    }
    current.set(name, line.slice(colon + 1).trim());
    lastName = name;
  }
  if (current && current.size > 0) groups.push(current);
  return groups;
}

/** The header block of a message (everything before the first blank line) as one group. */
export function headerBlock(text: string): FieldGroup {
  const end = text.search(/\r?\n\r?\n/);
  return fieldGroups(end === -1 ? text : text.slice(0, end))[0] ?? new Map();
}

/** "rfc822; someone@example.org" → "someone@example.org" (RFC 3464 address-type; address). */
export function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const address = (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value).trim().replace(/^<|>$/g, '');
  return address.includes('@') ? address : null;
}

const DIAGNOSTIC_LENGTH = 500;

/** Printable, one line, at most 500 characters: what the operator sees, never the whole report. */
export function shortDiagnostic(text: string): string {
  // Control characters out (a report could carry terminal escapes into a log or a page), one line.
  const flat = [...text].map((char) => (char < ' ' || char === '\u007f' ? ' ' : char)).join('');
  const line = flat.replace(/\s+/g, ' ').trim();
  return line.length > DIAGNOSTIC_LENGTH ? `${line.slice(0, DIAGNOSTIC_LENGTH - 1)}…` : line;
}
