import MarkdownIt from 'markdown-it';

// Turns what editors write into the plain text the index stores. Snippets are cut from this text,
// so it must read well: no Markdown punctuation, no URLs, one space between words.

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

type Token = ReturnType<typeof markdown.parse>[number];

/** The words of a Markdown document: text, inline code, code blocks and image descriptions. */
export function markdownToText(source: string): string {
  const parts: string[] = [];
  const inline = (children: Token[] | null) => {
    for (const child of children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
      else if (child.type === 'softbreak' || child.type === 'hardbreak') parts.push(' ');
      else if (child.type === 'image') inline(child.children);
    }
  };
  for (const token of markdown.parse(source, {})) {
    if (token.type === 'inline') inline(token.children);
    else if (token.type === 'fence' || token.type === 'code_block') parts.push(token.content);
    // Block boundaries become line breaks so words of two paragraphs never run together.
    if (token.block && token.nesting === -1) parts.push('\n');
    if (token.type === 'fence' || token.type === 'code_block' || token.type === 'inline') parts.push('\n');
  }
  return cleanText(parts.join(''));
}

/** Longest text one entry indexes; PostgreSQL's tsvector refuses documents of about 1 MB. */
export const MAX_ENTRY_TEXT = 100_000;

// C0/C1 controls (the snippet sentinels among them) and the private-use character the PostgreSQL
// snippet uses for "<" never reach the index, so a highlight marker can only come from the engine.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const unwanted = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ue000]/g;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Indexable text: no control characters, spaces collapsed (line breaks kept), capped in length. */
export function cleanText(text: string): string {
  // Cap first: the surrogate repair below then also mends a pair the cut split.
  const capped = text.length > MAX_ENTRY_TEXT ? text.slice(0, MAX_ENTRY_TEXT) : text;
  return capped
    .replace(unwanted, ' ')
    .replace(loneSurrogate, '\ufffd')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}
