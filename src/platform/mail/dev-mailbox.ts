import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DevMailTable } from '../db/schema.ts';

export type DevMail = Selectable<DevMailTable>;
export type DevMailSummary = Omit<DevMail, 'raw'>;

export interface ParsedDevMail {
  subject: string;
  from: string;
  to: string;
  date: Date | undefined;
  text: string | undefined;
  html: string | undefined;
  /** Header lines in message order, values unfolded (and decoded where mailparser could). */
  headers: Array<[name: string, value: string]>;
}

/** Captured mail for one page of the admin list, newest first, without the (large) raw message. */
export async function listDevMail(db: Db, page: { limit: number; offset: number }): Promise<DevMailSummary[]> {
  if (!Number.isInteger(page.limit) || page.limit < 1) throw new RangeError(`invalid limit ${page.limit}`);
  if (!Number.isInteger(page.offset) || page.offset < 0) throw new RangeError(`invalid offset ${page.offset}`);
  return (
    db
      .selectFrom('dev_mail')
      .select(['id', 'created_at', 'sender', 'recipients', 'subject'])
      // id breaks ties: several messages can share a timestamp (a fixed clock, a fast batch).
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute()
  );
}

/** Number of captured messages, for paging. */
export async function countDevMail(db: Db): Promise<number> {
  const row = await db
    .selectFrom('dev_mail')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One captured message with its raw RFC 5322 text, or undefined when there is none with that id. */
export async function getDevMail(db: Db, id: number): Promise<DevMail | undefined> {
  // A non-integer id cannot match and would make PostgreSQL reject the bigint comparison.
  if (!Number.isSafeInteger(id)) return undefined;
  return db.selectFrom('dev_mail').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Parses a captured raw message into the parts the admin view shows. */
export async function parseDevMail(raw: string): Promise<ParsedDevMail> {
  // Loaded on demand: mailparser is a devDependency, so a production install without it can still
  // list and count captured mail; only opening one needs the parser.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw);
  const to = parsed.to === undefined ? [] : Array.isArray(parsed.to) ? parsed.to : [parsed.to];
  const occurrences = new Map<string, number>();
  for (const { key } of parsed.headerLines) occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
  const headers = parsed.headerLines.map(({ key, line }): [string, string] => {
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const decoded = parsed.headers.get(key);
    // mailparser decodes encoded-words in plain headers; for repeated or structured ones show the line itself.
    const value =
      occurrences.get(key) === 1 && typeof decoded === 'string'
        ? decoded
        : (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
    return [name, value];
  });
  return {
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? '',
    to: to.map((address) => address.text).join(', '),
    date: parsed.date,
    text: parsed.text,
    html: typeof parsed.html === 'string' ? parsed.html : undefined,
    headers,
  };
}
