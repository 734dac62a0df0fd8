import { z } from 'zod';
import { safeHttpUrl } from '../format.ts';

// The JSON columns of publishing rows, read defensively: a malformed value (hand-edited row, older
// shape) shows as "nothing" rather than breaking the page, and every URL must be http(s).

export interface Link {
  title: string;
  url: string;
}

export interface Host {
  handle: string;
  name: string;
  /** Absent when the stored URL is not an http(s) address. */
  url: string | undefined;
}

const linkSchema = z.object({ title: z.string().min(1), url: z.string() });
const hostSchema = z.object({ handle: z.string().default(''), name: z.string().default(''), url: z.string().optional() });

function jsonArray(text: string | null | undefined): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/** An article's "Additional Resources": [{ title, url }], only entries with an http(s) URL. */
export function parseLinks(text: string | null | undefined): Link[] {
  return jsonArray(text).flatMap((item) => {
    const parsed = linkSchema.safeParse(item);
    const url = parsed.success ? safeHttpUrl(parsed.data.url) : undefined;
    return parsed.success && url ? [{ title: parsed.data.title, url }] : [];
  });
}

/** An event's hosts: [{ handle, name, url }]; a host needs at least a name or a handle. */
export function parseHosts(text: string | null | undefined): Host[] {
  return jsonArray(text).flatMap((item) => {
    const parsed = hostSchema.safeParse(item);
    if (!parsed.success || (!parsed.data.name && !parsed.data.handle)) return [];
    return [{ handle: parsed.data.handle, name: parsed.data.name, url: safeHttpUrl(parsed.data.url) }];
  });
}

/** The byline names from the comma-separated `authors` column. */
export function splitAuthors(authors: string): string[] {
  return authors
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}
