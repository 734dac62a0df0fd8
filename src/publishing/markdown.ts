import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Two layers: markdown-it with raw HTML off (Markdown cannot carry markup), then an allowlist
// sanitiser over its output, so even a parser bug cannot let a tag, handler or javascript: URL through.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

const allowlist: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'img',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  // Authors write from h2 down: h1 is the article title.
  transformTags: { h1: 'h2' },
};

/** Article Markdown to HTML that is safe to insert as-is. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), allowlist);
}
