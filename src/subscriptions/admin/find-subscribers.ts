import { domainToASCII } from 'node:url';
import type { AppContext } from '../../platform/context.ts';
import type { SubscriberStatus } from '../../platform/db/schema.ts';
import { MAX_ADDRESS, parseSubscriberEmail } from '../subscriber-email.ts';

export interface SubscriberMatch {
  id: string;
  email: string;
  status: SubscriberStatus;
  created_at: string;
}

export type SubscriberSearch =
  /**
   * A whole address, normalised as every address is stored: found, or not; when not, the addresses
   * that start with it (what was typed may be the start of a longer one, "pat@example.g").
   */
  | { kind: 'address'; query: string; email: string; matches: SubscriberMatch[]; startingWith: SubscriberMatch[]; more: boolean }
  /** The start of an address ("pat", "pat@exam"): the first matches in address order. */
  | { kind: 'prefix'; query: string; prefix: string; matches: SubscriberMatch[]; more: boolean }
  /** Nothing any stored address could start with. */
  | { kind: 'invalid'; query: string; message: string };

export const PREFIX_MATCH_LIMIT = 25;

// Stored addresses are lower-case ASCII: dot-atom local parts, punycode domains.
const STORABLE = /^[a-z0-9!#$%&'*+/=?^_`{|}~.@-]+$/;

/** The typed start of an address, in the form stored addresses have (lower case, domain in punycode). */
function normalisedPrefix(query: string): string | null {
  const lower = query.toLowerCase();
  const at = lower.lastIndexOf('@');
  let prefix = lower;
  if (at >= 0 && at < lower.length - 1) {
    const domain = lower.slice(at + 1);
    // Complete labels of an internationalised domain convert; the label being typed converts as far as it goes.
    const ascii = /^[\x21-\x7e]*$/.test(domain) ? domain : domainToASCII(domain);
    if (ascii === '') return null;
    prefix = `${lower.slice(0, at)}@${ascii}`;
  }
  return STORABLE.test(prefix) && prefix.length <= MAX_ADDRESS ? prefix : null;
}

/**
 * Finds subscribers by e-mail address for the admin search. A whole address is normalised exactly
 * as sign-up stores it (case, internationalised domain), so any spelling finds the one row. Part of
 * an address lists the addresses starting with it.
 */
export async function findSubscribers(ctx: AppContext, rawQuery: string): Promise<SubscriberSearch | null> {
  const query = rawQuery.trim().slice(0, 320);
  if (query === '') return null;
  const columns = ['id', 'email', 'status', 'created_at'] as const;

  const parsed = parseSubscriberEmail(query);
  if (parsed.ok) {
    const matches = await ctx.db.selectFrom('subscribers').select(columns).where('email', '=', parsed.email).execute();
    if (matches.length > 0) return { kind: 'address', query, email: parsed.email, matches, startingWith: [], more: false };
    const longer = await startingWith(ctx, parsed.email);
    return { kind: 'address', query, email: parsed.email, matches, startingWith: longer.matches, more: longer.more };
  }

  const prefix = normalisedPrefix(query);
  if (prefix === null) {
    return {
      kind: 'invalid',
      query,
      message:
        "No stored address could start like that: addresses have no spaces, and before the @ only letters A–Z, digits and . ! # $ % & ' * + - / = ? ^ _ ` { | } ~.",
    };
  }
  return { kind: 'prefix', query, prefix, ...(await startingWith(ctx, prefix)) };
}

/**
 * The first addresses starting with `prefix`, through a range over the unique e-mail index
 * (`>= prefix` and `< prefix + U+FFFF`): an index range scan at a million rows, where a LIKE
 * pattern would not be on every engine and collation.
 */
async function startingWith(ctx: AppContext, prefix: string): Promise<{ matches: SubscriberMatch[]; more: boolean }> {
  const rows = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'email', 'status', 'created_at'])
    .where('email', '>=', prefix)
    .where('email', '<', `${prefix}\uffff`)
    .orderBy('email')
    .limit(PREFIX_MATCH_LIMIT + 1)
    .execute();
  // The range is exact under byte-order collations (SQLite, PostgreSQL "C"); the check keeps it exact under any other.
  const matches = rows.filter((row) => row.email.startsWith(prefix));
  return { matches: matches.slice(0, PREFIX_MATCH_LIMIT), more: matches.length > PREFIX_MATCH_LIMIT };
}
