// What a reader types, made safe for the engines. PostgreSQL's websearch_to_tsquery accepts any
// text; FTS5's MATCH syntax does not, so for SQLite we parse the same web-search conventions
// ourselves ("quoted phrase", or, -word) and emit an expression in which every word is a quoted
// string: FTS5 then treats AND, NEAR, *, ^, :, (, ) and the like as plain text.

/** Characters of a query that are used; the rest of a longer query is ignored. */
export const MAX_QUERY_CHARS = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const controls = /[\u0000-\u001f\u007f-\u009f]/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The query as the engines see it: control characters (NUL among them, which PostgreSQL refuses)
 * and broken surrogates removed, spaces collapsed, at most MAX_QUERY_CHARS code points.
 */
export function cleanQuery(raw: string): string {
  // Slice before the regexes so 10 kB of input costs no more than 2 kB.
  const head = raw.length > MAX_QUERY_CHARS * 4 ? raw.slice(0, MAX_QUERY_CHARS * 4) : raw;
  const text = head.replace(controls, ' ').replace(loneSurrogate, ' ').replace(/\s+/gu, ' ').trim();
  const codePoints = Array.from(text);
  return codePoints.length > MAX_QUERY_CHARS ? codePoints.slice(0, MAX_QUERY_CHARS).join('').trim() : text;
}

/** Words as FTS5's unicode61 tokenizer sees them: runs of letters, digits and private-use characters. */
const word = /[\p{L}\p{N}\p{Co}]+/gu;

interface Term {
  words: string[];
  negated: boolean;
}

/** Splits a cleaned query into terms (a word or a phrase), with "or" marking alternatives. */
function parse(query: string): (Term | 'or')[] {
  const items: (Term | 'or')[] = [];
  let i = 0;
  let negateNext = false;
  while (i < query.length) {
    if (query[i] === ' ') {
      i++;
      negateNext = false;
      continue;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close === -1 ? query.length : close;
      const words = query.slice(i + 1, end).match(word) ?? [];
      if (words.length > 0) items.push({ words, negated: negateNext });
      negateNext = false;
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && query[end] !== ' ' && query[end] !== '"') end++;
    const chunk = query.slice(i, end);
    i = end;
    if (chunk.toLowerCase() === 'or') {
      items.push('or');
      continue;
    }
    const negated = negateNext || chunk.startsWith('-');
    const words = chunk.match(word) ?? [];
    // A lone "-" right before a quote negates the phrase: -"school resource officer".
    if (words.length === 0) negateNext = chunk === '-' && query[i] === '"';
    else {
      // "e-mail" or "K-12" stays one term: its words must appear together, as a phrase.
      items.push({ words, negated });
      negateNext = false;
    }
  }
  return items;
}

const quoted = (term: Term) => `"${term.words.join(' ').replaceAll('"', '""')}"`;

/**
 * An FTS5 MATCH expression for the query, or '' when nothing searchable is left (only
 * punctuation, only negations). Words are ANDed; "or" joins its neighbours; -word excludes.
 */
export function toFts5Match(query: string): string {
  const groups: Term[][] = [];
  const excluded: Term[] = [];
  let orPending = false;
  for (const item of parse(cleanQuery(query))) {
    if (item === 'or') {
      orPending = groups.length > 0;
      continue;
    }
    if (item.negated) excluded.push(item);
    else if (orPending) groups.at(-1)!.push(item);
    else groups.push([item]);
    orPending = false;
  }
  if (groups.length === 0) return '';
  const positive = groups.map((g) => (g.length === 1 ? quoted(g[0]!) : `(${g.map(quoted).join(' OR ')})`)).join(' AND ');
  return excluded.length === 0 ? positive : `(${positive}) NOT (${excluded.map(quoted).join(' OR ')})`;
}

/** Whether the query has anything to look for; the same rule on both engines. */
export function hasSearchTerms(query: string): boolean {
  return toFts5Match(query) !== '';
}
