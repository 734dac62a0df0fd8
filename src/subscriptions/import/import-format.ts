import { parseSubscriberEmail } from '../subscriber-email.ts';
import { unescapeFormula } from './spreadsheet-safety.ts';

// The CSV format the import reads, in one place: the upload page and the CLI explain it from these
// constants, and the validator applies them line by line.

/** The columns of an import file; only `email` is required. */
export const IMPORT_COLUMNS = ['email', 'topics', 'consent_date', 'source'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The columns of an export, in order. An export can be imported again, so these are known too. */
export const EXPORT_COLUMNS = [
  'email',
  'status',
  'topics',
  'frequencies',
  'consent_date',
  'consent_source',
  'confirmed_at',
  'unsubscribed_at',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

type KnownColumn = ImportColumn | ExportColumn;
const KNOWN_COLUMNS: ReadonlySet<string> = new Set<string>([...IMPORT_COLUMNS, ...EXPORT_COLUMNS]);

/** Topic slugs in one field are separated by this. */
export const TOPIC_SEPARATOR = ';';
/** The source recorded as consent evidence when a row gives none. */
export const DEFAULT_SOURCE = 'import';
export const MAX_SOURCE_LENGTH = 100;
/**
 * Longest line (in bytes of UTF-8) the reader accepts. No honest row comes near it (an address is
 * at most 254 characters, a source 100); a longer one is nearly always a quote that never closes,
 * which would otherwise swallow the rest of the file into one field.
 */
export const MAX_LINE_BYTES = 2_000;

export const EXAMPLE_CSV = [
  'email,topics,consent_date,source',
  'pat.officer@example.gov,dispatch;events,2024-05-31,Spring conference',
  'chief@county.example.org,school-safety,2024-06-02T15:30:00Z,',
  'new.reader@example.com,,,',
].join('\n');

/** Where each known column sits in a line of the file. */
export type ColumnLayout = { width: number } & Partial<Record<KnownColumn, number>>;

export type HeaderCheck = { ok: true; layout: ColumnLayout } | { ok: false; message: string };

/** "Consent Date", " consent-date " and "CONSENT_DATE" all name the consent_date column. */
export function normaliseColumnName(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const listed = (names: readonly string[]) => names.map((n) => (n === '' ? '(empty)' : n)).join(', ');

/** Reads the header line: known columns in any order, each at most once, `email` among them. */
export function readHeader(cells: string[]): HeaderCheck {
  const names = cells.map(normaliseColumnName);
  const unknown = names.filter((name) => !KNOWN_COLUMNS.has(name));
  const repeated = names.filter((name, i) => KNOWN_COLUMNS.has(name) && names.indexOf(name) !== i);
  const missing = names.includes('email') ? [] : ['email'];
  if (unknown.length > 0 || repeated.length > 0 || missing.length > 0) {
    const problems = [
      ...(missing.length ? ['the email column is missing'] : []),
      ...(unknown.length ? [`unknown ${unknown.length === 1 ? 'column' : 'columns'}: ${listed(unknown)}`] : []),
      ...(repeated.length ? [`named twice: ${listed([...new Set(repeated)])}`] : []),
    ];
    return {
      ok: false,
      message:
        `The first line of the file must name its columns, and ${problems.join('; ')}. ` +
        `Expected: ${IMPORT_COLUMNS.join(', ')} (only email is required, in any order; an export's columns are accepted too). ` +
        `Found: ${listed(cells.map((c) => c.trim()))}.`,
    };
  }
  const layout: ColumnLayout = { width: names.length };
  names.forEach((name, index) => {
    layout[name as KnownColumn] = index;
  });
  return { ok: true, layout };
}

export interface ImportRow {
  email: string;
  topicIds: string[];
  /** ISO-8601 UTC, or null: imported as pending and asked to confirm. */
  consentAt: string | null;
  source: string;
}

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; reason: string };

export interface RowRules {
  /** Every topic by slug, private ones included: staff may import into private topics. */
  topicIdsBySlug: ReadonlyMap<string, string>;
  /** The Dispatch topic's id, for rows that name no topic. */
  defaultTopicId: string;
  /** The source of rows that give none: "import", or what the operator chose (CLI --source). */
  defaultSource: string;
  now: Date;
}

/** Text shown back in a reason: bounded, on one line. */
function quoted(text: string, max = 60): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must not reach a report
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return `"${oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine}"`;
}

/** Checks one line's fields (already split) against the layout and the rules. */
export function checkRow(fields: string[], layout: ColumnLayout, rules: RowRules): RowCheck {
  if (fields.length !== layout.width) {
    return {
      ok: false,
      reason: `The line has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, but the header names ${layout.width} columns. Check its commas, and put quotes around a value that contains a comma.`,
    };
  }
  const field = (column: KnownColumn) => {
    const at = layout[column];
    // An export protects formula-like values with a leading quote; take it off again.
    return at === undefined ? '' : unescapeFormula((fields[at] ?? '').trim());
  };

  // Only an export has a status column. People who left or paused stay out, so re-importing an
  // export never undoes their choice; pending ones come back pending, since they never confirmed.
  const status = field('status').toLowerCase();
  if (status === 'unsubscribed' || status === 'paused') {
    return { ok: false, reason: `The status column says ${status}: the address is not imported, so that choice stands.` };
  }
  if (status !== '' && status !== 'active' && status !== 'pending') {
    return { ok: false, reason: `The status ${quoted(status, 20)} is not one of active, pending, paused or unsubscribed.` };
  }

  const email = parseSubscriberEmail(field('email'));
  if (!email.ok) return { ok: false, reason: email.message };

  const topicIds: string[] = [];
  for (const piece of field('topics').split(TOPIC_SEPARATOR)) {
    const slug = piece.trim().toLowerCase();
    if (slug === '') continue;
    const id = rules.topicIdsBySlug.get(slug);
    if (!id) return { ok: false, reason: `Unknown topic ${quoted(piece.trim())}.` };
    if (!topicIds.includes(id)) topicIds.push(id);
  }
  if (topicIds.length === 0) topicIds.push(rules.defaultTopicId);

  const consent = parseConsentDate(field('consent_date'), rules.now);
  if (!consent.ok) return { ok: false, reason: consent.reason };
  const consentAt = status === 'pending' ? null : consent.at;

  const source = (layout.source !== undefined ? field('source') : field('consent_source')).replace(/\s+/g, ' ');
  if (source.length > MAX_SOURCE_LENGTH) {
    return { ok: false, reason: `The source can be at most ${MAX_SOURCE_LENGTH} characters long (it has ${source.length}).` };
  }
  return { ok: true, row: { email: email.email, topicIds, consentAt, source: source || rules.defaultSource } };
}

// ISO 8601 calendar dates, and date-times with an optional zone ("Z", "+02:00", "-0500").
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export type ConsentDate = { ok: true; at: string | null } | { ok: false; reason: string };

/** An ISO 8601 date or date-time (UTC when it names no zone); empty means none was given. */
export function parseConsentDate(text: string, now: Date): ConsentDate {
  const value = text.trim();
  if (value === '') return { ok: true, at: null };
  const match = ISO_DATE.exec(value);
  const unreadable = {
    ok: false as const,
    reason: `The consent date ${quoted(value, 40)} is not a date like 2024-05-31 or 2024-05-31T14:30:00Z.`,
  };
  if (!match) return unreadable;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const ms = fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  // Date rolls 2024-02-30 over into March; refuse rather than guess.
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    Number.isNaN(date.getTime()) ||
    calendar.getUTCMonth() !== Number(mo) - 1 ||
    calendar.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return unreadable;
  }
  if (date.getTime() > now.getTime()) return { ok: false, reason: `The consent date ${quoted(value, 40)} is in the future.` };
  return { ok: true, at: date.toISOString() };
}
