import { validation } from '../../../platform/errors.ts';

/** Collects one message per form field (the first problem wins) and throws them together. */
export class FieldErrors {
  readonly fields: Record<string, string> = {};

  add(name: string, message: string): void {
    this.fields[name] ??= message;
  }

  has(name: string): boolean {
    return name in this.fields;
  }

  /** Throws a VALIDATION error listing every field, if any was added. */
  throwIfAny(): void {
    if (Object.keys(this.fields).length > 0) throw validation({ ...this.fields });
  }

  /** A trimmed text that must be present and at most `max` characters. */
  required(name: string, value: string | undefined, label: string, max: number): string {
    const text = (value ?? '').trim();
    if (text === '') this.add(name, `Enter ${label}.`);
    else if (text.length > max) this.add(name, `Use at most ${max} characters for ${label}.`);
    return text;
  }

  /** A trimmed text that may be empty; at most `max` characters. */
  optional(name: string, value: string | undefined, label: string, max: number): string {
    const text = (value ?? '').trim();
    if (text.length > max) this.add(name, `Use at most ${max} characters for ${label}.`);
    return text;
  }

  /** An optional http(s) address; empty gives null. */
  optionalUrl(name: string, value: string | undefined, label: string): string | null {
    const text = (value ?? '').trim();
    if (text === '') return null;
    if (!isHttpUrl(text)) this.add(name, `Enter ${label} starting with https:// or http://.`);
    return text;
  }

  /** A whole number within [min, max]; empty gives `fallback`. */
  integer(name: string, value: string | undefined, label: string, range: { min: number; max: number; fallback?: number }): number {
    const text = (value ?? '').trim();
    if (text === '' && range.fallback !== undefined) return range.fallback;
    const n = /^-?\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(n) || n < range.min || n > range.max) {
      this.add(name, `Enter ${label} as a whole number from ${range.min} to ${range.max}.`);
      return range.fallback ?? range.min;
    }
    return n;
  }

  /** One of the allowed values. */
  oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], message: string): T {
    if (allowed.includes(value as T)) return value as T;
    this.add(name, message);
    return allowed[0] as T;
  }
}

/** An absolute http or https address (no javascript:, data: or relative addresses), at most 2,000 characters. */
export function isHttpUrl(text: string): boolean {
  if (text.length > 2000 || /\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Whether a database error is a unique-constraint violation, on either engine: the check before an
 * insert can lose a race, and the loser should see a field error rather than a server fault.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
