import { AppError } from '../../platform/errors.ts';

/** What a slug may look like; anything else in the address is malformed (400), not unknown (404). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,199}$/;

/** The slug from a route parameter; throws VALIDATION (400) when it cannot be a slug at all. */
export function parseSlug(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || !SLUG_PATTERN.test(raw)) {
    throw new AppError('VALIDATION', `That is not a valid ${what} address: use lower-case letters, digits and hyphens.`);
  }
  return raw;
}

/** A volume or issue number: digits without a leading zero. Throws VALIDATION (400) otherwise. */
export function parseIssuePart(raw: unknown, what: 'volume' | 'issue'): number {
  if (typeof raw !== 'string' || !/^(0|[1-9][0-9]{0,5})$/.test(raw)) {
    throw new AppError('VALIDATION', `The ${what} number must be a whole number, such as 17.`);
  }
  return Number(raw);
}

/** An optional query-string value; repeated values or non-strings are malformed. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AppError('VALIDATION', `Give "${name}" once.`);
  return value;
}

/** `?page=` as a page number from 1; absent is page 1, anything but a plain whole number is VALIDATION (400). */
export function parsePage(query: unknown): number {
  const raw = queryValue(query, 'page');
  if (raw === undefined) return 1;
  if (!/^[1-9][0-9]{0,5}$/.test(raw)) throw new AppError('VALIDATION', 'The page number must be a whole number from 1, such as 2.');
  return Number(raw);
}
