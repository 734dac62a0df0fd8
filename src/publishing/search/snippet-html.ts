// Highlighted snippets come back from the engines as plain text with sentinel characters around
// each match. We escape the whole text and only then turn the sentinels into <mark> tags, so the
// one piece of markup in a snippet is ours. The indexed text never contains the sentinels
// (document-text.ts strips control characters), so every marker came from the engine.

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
/** Stands in for "<" in text given to ts_headline, whose parser would otherwise drop anything tag-like. */
export const LESS_THAN = '\ue000';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe HTML from a sentinel-marked snippet: escaped text with balanced <mark> elements. */
export function snippetToHtml(marked: string): string {
  const text = marked.replaceAll(LESS_THAN, '<').replace(/\s+/g, ' ').trim();
  let html = '';
  let open = false;
  for (const char of text) {
    if (char === MARK_START) {
      if (!open) html += '<mark>';
      open = true;
    } else if (char === MARK_END) {
      if (open) html += '</mark>';
      open = false;
    } else {
      html += escapes[char] ?? char;
    }
  }
  return open ? `${html}</mark>` : html;
}

/** Whether a marked snippet highlights anything. */
export function hasHighlight(marked: string): boolean {
  return marked.includes(MARK_START);
}
