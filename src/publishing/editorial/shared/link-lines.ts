import { isHttpUrl } from './field-errors.ts';

// Lists typed one item per line with "|" between the parts, so they work in a plain textarea.

export interface TitledLink {
  title: string;
  url: string;
}

export interface EventHost {
  handle: string;
  name: string;
  url: string;
}

const MAX_LINES = 30;

function lines(text: string): { n: number; line: string }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ n: i + 1, line: line.trim() }))
    .filter((l) => l.line !== '');
}

/** "Title | https://address" per line → links, or the first problem as a message. */
export function parseLinkLines(text: string): { links: TitledLink[] } | { error: string } {
  const all = lines(text);
  if (all.length > MAX_LINES) return { error: `List at most ${MAX_LINES} links.` };
  const links: TitledLink[] = [];
  for (const { n, line } of all) {
    const bar = line.lastIndexOf('|');
    const title = bar < 0 ? '' : line.slice(0, bar).trim();
    const url = bar < 0 ? '' : line.slice(bar + 1).trim();
    if (!title || !url)
      return { error: `Line ${n}: write a title, a “|”, then the address, like “COPS Office | https://cops.usdoj.gov/”.` };
    if (title.length > 300) return { error: `Line ${n}: use at most 300 characters for the title.` };
    if (!isHttpUrl(url)) return { error: `Line ${n}: the address must start with https:// or http://.` };
    links.push({ title, url });
  }
  return { links };
}

export function formatLinkLines(links: TitledLink[]): string {
  return links.map((l) => `${l.title} | ${l.url}`).join('\n');
}

const HANDLE = /^@[A-Za-z0-9_]{1,50}$/;

/** "@handle | Name | https://x.com/handle" per line → hosts, or the first problem as a message. */
export function parseHostLines(text: string): { hosts: EventHost[] } | { error: string } {
  const all = lines(text);
  if (all.length > MAX_LINES) return { error: `List at most ${MAX_LINES} hosts.` };
  const hosts: EventHost[] = [];
  for (const { n, line } of all) {
    const parts = line.split('|').map((p) => p.trim());
    const [handle = '', name = '', url = ''] = parts;
    if (parts.length !== 3 || !handle || !name || !url) {
      return {
        error: `Line ${n}: write the handle, name and address with “|” between, like “@COPSOffice | COPS Office | https://x.com/COPSOffice”.`,
      };
    }
    if (!HANDLE.test(handle)) return { error: `Line ${n}: a handle starts with @ and has only letters, digits and underscores.` };
    if (name.length > 200) return { error: `Line ${n}: use at most 200 characters for the name.` };
    if (!isHttpUrl(url)) return { error: `Line ${n}: the address must start with https:// or http://.` };
    hosts.push({ handle, name, url });
  }
  return { hosts };
}

export function formatHostLines(hosts: EventHost[]): string {
  return hosts.map((h) => `${h.handle} | ${h.name} | ${h.url}`).join('\n');
}

/** Reads a stored JSON list defensively: a damaged value shows as empty rather than breaking the form. */
export function readJsonList<T>(text: string): T[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
