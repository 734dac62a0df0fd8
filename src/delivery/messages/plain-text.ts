import MarkdownIt from 'markdown-it';

// The plain-text part: what the HTML says, in words and lines a text reader shows well. Lines wrap
// at 72 characters (a long URL keeps a line of its own), links are written out after their text.

export const TEXT_WIDTH = 72;

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** User text for the plain part: control characters dropped, tabs as spaces. */
export function plain(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(controls, '');
}

/** Words wrapped at `width`, the first line after `first`, the others after `rest`; line breaks in `text` are kept. */
export function wrap(text: string, options: { first?: string; rest?: string; width?: number } = {}): string {
  const width = options.width ?? TEXT_WIDTH;
  let prefix = options.first ?? '';
  const rest = options.rest ?? prefix;
  const lines: string[] = [];
  for (const hardLine of plain(text).split('\n')) {
    let line = '';
    for (const word of hardLine.split(' ').filter(Boolean)) {
      if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
        lines.push(prefix + line);
        prefix = rest;
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push((prefix + line).trimEnd());
    prefix = rest;
  }
  return lines.join('\n');
}

/** A heading underlined with `rule` ("=" for the title, "-" below it). */
export function underlined(text: string, rule: '=' | '-'): string {
  const title = wrap(text);
  const longest = Math.max(...title.split('\n').map((l) => l.length));
  return `${title}\n${rule.repeat(Math.min(TEXT_WIDTH, Math.max(3, longest)))}`;
}

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });
type Token = ReturnType<typeof markdown.parse>[number];

// Only addresses the HTML part would link (see publishing/markdown.ts) are written out.
const LINKABLE = /^(https?:|mailto:|tel:)/i;

function inlineText(children: Token[] | null): string {
  let out = '';
  const openLinks: { href: string; from: number }[] = [];
  for (const child of children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') out += child.content;
    else if (child.type === 'softbreak') out += ' ';
    else if (child.type === 'hardbreak') out += '\n';
    else if (child.type === 'image' && child.content) out += `[${child.content}]`;
    else if (child.type === 'link_open') openLinks.push({ href: String(child.attrGet('href') ?? ''), from: out.length });
    else if (child.type === 'link_close') {
      const link = openLinks.pop();
      if (!link || !LINKABLE.test(link.href)) continue;
      const label = out.slice(link.from).trim();
      const shown = link.href.replace(/^mailto:/i, '');
      if (label !== shown && label !== link.href) out += ` (${link.href})`;
    }
  }
  return out;
}

type Frame = { kind: 'quote' } | { kind: 'list'; ordered: boolean; next: number } | { kind: 'item'; marker: string; started: boolean };

/** Article Markdown as plain text: paragraphs, underlined headings, "-" and "1." lists, "> " quotes, indented code. */
export function markdownToPlainText(source: string): string {
  // Blocks of one group (the rows of a table, the items of a tight list) stay on consecutive lines.
  const blocks: { text: string; group: object | null }[] = [];
  const stack: Frame[] = [];
  let heading: string | null = null;
  let row: string[] | null = null;
  let table: object | null = null;
  // A tight list has no blank lines between its items in the source, and none in the text.
  let tightParagraph = false;

  const prefixes = () => {
    let first = '';
    let rest = '';
    for (const frame of stack) {
      if (frame.kind === 'quote') {
        first += '> ';
        rest += '> ';
      } else if (frame.kind === 'item') {
        first += frame.started ? ' '.repeat(frame.marker.length) : frame.marker;
        rest += ' '.repeat(frame.marker.length);
        frame.started = true;
      }
    }
    return { first, rest };
  };
  const outermostList = () => stack.find((f) => f.kind === 'list') ?? null;

  for (const token of markdown.parse(plain(source), {})) {
    switch (token.type) {
      case 'blockquote_open':
        stack.push({ kind: 'quote' });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        stack.push({ kind: 'list', ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'list_item_open': {
        const list = [...stack].reverse().find((f) => f.kind === 'list');
        const marker = list?.kind === 'list' && list.ordered ? `${list.next++}. ` : '- ';
        stack.push({ kind: 'item', marker, started: false });
        break;
      }
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
        stack.pop();
        break;
      case 'paragraph_open':
        tightParagraph = token.hidden;
        break;
      case 'heading_open':
        heading = token.tag;
        break;
      case 'heading_close':
        heading = null;
        break;
      case 'table_open':
        table = {};
        break;
      case 'table_close':
        table = null;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row) blocks.push({ text: wrap(row.join(' | '), prefixes()), group: table });
        row = null;
        break;
      case 'inline': {
        const text = inlineText(token.children).trim();
        if (row) row.push(text);
        else if (heading) blocks.push({ text: heading === 'h1' || heading === 'h2' ? underlined(text, '-') : text, group: null });
        else blocks.push({ text: wrap(text, prefixes()), group: tightParagraph ? outermostList() : null });
        break;
      }
      case 'fence':
      case 'code_block': {
        const { first, rest } = prefixes();
        const lines = token.content.replace(/\n$/, '').split('\n');
        blocks.push({ text: lines.map((line, i) => `${i === 0 ? first : rest}    ${line}`.trimEnd()).join('\n'), group: null });
        break;
      }
      case 'hr':
        blocks.push({ text: '* * *', group: null });
        break;
    }
  }
  const kept = blocks.filter((b) => b.text.trim() !== '');
  return kept.map((b, i) => (i === 0 ? '' : b.group !== null && b.group === kept[i - 1]!.group ? '\n' : '\n\n') + b.text).join('');
}
