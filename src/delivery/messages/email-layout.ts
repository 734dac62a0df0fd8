import { type Markup, markup, trustedHtml } from './markup.ts';
import { plain, TEXT_WIDTH, wrap } from './plain-text.ts';
import type { SlotValues } from './slots.ts';

// The frame every campaign e-mail shares, in MJML and in plain text: a masthead, the content, and a
// footer that says why the reader gets the e-mail, where the office is, and how to leave.
// Colours meet WCAG AA on their backgrounds: body text #1b1b1b and links #005ea2 on white (16:1,
// 7:1) and on #f0f0f0 (14:1, 5.9:1), muted text #565c65 (6.7:1, 5.9:1), the masthead's white and
// #dfe1e2 on #162e51 (14:1, 10:1), the button's white on #005ea2 (7:1).

/** What the frame needs to know about the site. */
export interface EmailSite {
  publicUrl: string;
  siteName: string;
  tagline: string;
  agencyName: string;
  officeName: string;
  streetAddress: string;
  cityStateZip: string;
}

/** One piece of content, in both parts of the message. */
export interface EmailBlock {
  /** MJML body elements (mj-text, mj-image, mj-button). */
  mjml: Markup;
  /** Plain text, without a trailing line break. */
  text: string;
}

export interface EmailDocument {
  subject: string;
  /** The line inboxes show after the subject. */
  preheader: string;
  blocks: EmailBlock[];
  /** One sentence: why this reader receives this e-mail. */
  reason: string;
}

const SERIF = "Georgia,'Times New Roman',serif";

const styleText = {
  serif: SERIF,
  h1: `margin:0 0 16px;font-family:${SERIF};font-size:28px;line-height:1.25;font-weight:700;color:#1b1b1b`,
  h2: `margin:32px 0 8px;font-family:${SERIF};font-size:22px;line-height:1.3;font-weight:700;color:#1b1b1b`,
  h3: `margin:24px 0 8px;font-family:${SERIF};font-size:19px;line-height:1.3;font-weight:700;color:#1b1b1b`,
  p: 'margin:0 0 16px',
  intro: 'margin:0 0 16px;font-size:19px;line-height:1.5',
  meta: 'margin:0 0 16px;font-size:15px;color:#565c65',
  dateline: 'margin:0 0 8px;font-size:15px;font-weight:700;color:#565c65',
  a: 'color:#005ea2;text-decoration:underline',
  list: 'margin:0 0 16px;padding-left:24px',
  small: 'margin:0 0 16px;font-size:14px;color:#565c65',
} as const;

/** Inline styles (clients that drop the head's <style> keep these), as markup: they are ours, not user text. */
export const styles = Object.fromEntries(Object.entries(styleText).map(([name, css]) => [name, trustedHtml(css)])) as Record<
  keyof typeof styleText,
  Markup
>;

// Sanitised Markdown (publishing/markdown.ts) has no style attributes; these give its elements the
// look of the rest of the message in clients that ignore <style>.
const bodyStyles: Record<string, string> = {
  h2: styleText.h2,
  h3: styleText.h3,
  h4: `margin:16px 0 8px;font-family:${SERIF};font-size:17px;font-weight:700`,
  h5: 'margin:16px 0 8px;font-size:17px;font-weight:700',
  h6: 'margin:16px 0 8px;font-size:17px;font-weight:700',
  p: styleText.p,
  ul: styleText.list,
  ol: styleText.list,
  li: 'margin:0 0 4px',
  blockquote: 'margin:0 0 16px;padding-left:16px;border-left:4px solid #dfe1e2',
  pre: 'margin:0 0 16px;padding:8px;background:#f0f0f0;white-space:pre-wrap;font-size:15px',
  code: 'font-family:Consolas,Menlo,monospace',
  table: 'margin:0 0 16px;border-collapse:collapse',
  th: 'padding:4px 8px;border:1px solid #a9aeb1;text-align:left',
  td: 'padding:4px 8px;border:1px solid #a9aeb1',
  hr: 'border:0;border-top:1px solid #a9aeb1;margin:24px 0',
  a: styleText.a,
  img: 'max-width:100%;height:auto',
};

/** Sanitised Markdown HTML with inline styles on its elements (the sanitiser allows no style attribute of its own). */
export function styledBodyHtml(sanitisedHtml: string): Markup {
  return trustedHtml(
    sanitisedHtml.replace(/<(h[2-6]|p|ul|ol|li|blockquote|pre|code|table|th|td|hr|a|img)(?=[\s>/])/g, (tag, name: string) =>
      bodyStyles[name] ? `${tag} style="${bodyStyles[name]}"` : tag,
    ),
  );
}

function footerMjml(doc: EmailDocument, site: EmailSite, links: SlotValues): Markup {
  return markup`<mj-section background-color="#f0f0f0" padding="24px 0 32px">
  <mj-column>
    <mj-text font-size="15px" color="#1b1b1b">
      <p style="${styles.p}">${doc.reason}</p>
      <p style="${styles.p}"><a href="${links.unsubscribeUrl}" style="${styles.a}">Unsubscribe</a> &#183; <a href="${links.preferencesUrl}" style="${styles.a}">Manage your preferences</a></p>
      <p style="${styles.p}">Did someone forward this e-mail to you? <a href="${`${site.publicUrl}/subscribe`}" style="${styles.a}">Subscribe to Email Updates</a></p>
      <p style="margin:0">${site.agencyName}<br>${site.officeName}<br>${site.streetAddress}<br>${site.cityStateZip}</p>
    </mj-text>
  </mj-column>
</mj-section>`;
}

/**
 * The whole MJML document. `links` are the per-recipient links: the campaign's slot markers when
 * compiling, so they are filled in per message.
 */
export function emailMjml(doc: EmailDocument, site: EmailSite, links: SlotValues): string {
  return markup`<mjml lang="en" dir="ltr">
<mj-head>
  <mj-title>${doc.subject}</mj-title>
  <mj-preview>${doc.preheader}</mj-preview>
  <mj-attributes>
    <mj-all font-family="Helvetica,Arial,sans-serif" />
    <mj-text font-size="17px" line-height="1.5" color="#1b1b1b" padding="0 24px" />
    <mj-image padding="0 24px 16px" />
    <mj-button background-color="#005ea2" color="#ffffff" font-size="17px" font-weight="700" border-radius="4px" inner-padding="12px 20px" padding="8px 24px 16px" align="left" />
  </mj-attributes>
  <mj-style>a { color: #005ea2; } img { max-width: 100%; height: auto; }</mj-style>
</mj-head>
<mj-body background-color="#f0f0f0" width="640px">
  <mj-section background-color="#162e51" padding="20px 0">
    <mj-column>
      <mj-text color="#ffffff">
        <p style="margin:0;font-family:${styles.serif};font-size:22px;font-weight:700;line-height:1.3"><a href="${`${site.publicUrl}/`}" style="color:#ffffff;text-decoration:none">${site.siteName}</a></p>
        ${site.tagline ? markup`<p style="margin:4px 0 0;font-size:15px;color:#dfe1e2">${site.tagline}</p>` : ''}
      </mj-text>
    </mj-column>
  </mj-section>
  <mj-section background-color="#ffffff" padding="32px 0 16px">
    <mj-column>
${doc.blocks.map((b) => b.mjml)}
    </mj-column>
  </mj-section>
${footerMjml(doc, site, links)}
</mj-body>
</mjml>`.html;
}

/** The plain-text part: masthead, content, and the same footer. */
export function emailText(doc: EmailDocument, site: EmailSite, links: SlotValues): string {
  const masthead = [plain(site.siteName), plain(site.tagline)].filter((line) => line.trim() !== '').join('\n');
  const footer = [
    wrap(doc.reason),
    `Unsubscribe: ${links.unsubscribeUrl}\nManage your preferences: ${links.preferencesUrl}`,
    `Did someone forward this e-mail to you? Subscribe to Email Updates:\n${site.publicUrl}/subscribe`,
    [site.agencyName, site.officeName, site.streetAddress, site.cityStateZip].map(plain).join('\n'),
  ];
  // A block with nothing to say in text (a decorative image) leaves no empty paragraph behind.
  const content = doc.blocks.map((b) => b.text).filter((text) => text !== '');
  return `${[masthead, ...content, '-'.repeat(TEXT_WIDTH / 2), ...footer].join('\n\n')}\n`;
}
