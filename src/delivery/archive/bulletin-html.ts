import sanitizeHtml from 'sanitize-html';
import { fillSlots, publicSlotValues, slotMarkers } from '../messages/slots.ts';

// A sent bulletin on the public site: its compiled HTML with the links every copy not addressed to
// one subscriber carries, cut down to the content. The e-mail's layout tables, inline styles and
// Outlook comments go (the site's stylesheet and CSP apply here, not the mail client's); headings move
// down one level under the page's own h1; an allowlist keeps only text-level markup and safe links,
// so even a tampered compiled_html cannot put script on the page.

const allowlist: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
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
    'img',
  ],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'], ol: ['start'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  transformTags: { h1: 'h2', h2: 'h3', h3: 'h4', h4: 'h5', h5: 'h6' },
  // Layout tables and wrappers are dropped but their content kept; style blocks and titles go whole.
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
};

// MJML writes the preheader as a hidden div of text at the top of the body: inboxes show it, a page must not.
const PREHEADER = /<div style="display:none;[^"]*">[^<]*<\/div>/;

/** The archive page's HTML of a campaign's compiled message. */
export function archivedBulletinHtml(compiledHtml: string, options: { campaignId: number; secret: string; publicUrl: string }): string {
  const markers = slotMarkers(options.secret, options.campaignId);
  const filled = fillSlots(compiledHtml, markers, publicSlotValues(options.publicUrl), { html: true });
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(filled)?.[1] ?? filled;
  return sanitizeHtml(body.replace(PREHEADER, ''), allowlist)
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}
