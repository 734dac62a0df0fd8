import MarkdownIt from 'markdown-it';

// Raw HTML is off, so Markdown cannot carry markup or scripts; markdown-it's link validation
// already refuses javascript:, vbscript: and data: URLs.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

/** Article Markdown to HTML that is safe to insert as-is. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
