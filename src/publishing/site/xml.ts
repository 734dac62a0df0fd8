/** Escapes text for XML and HTML text and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * HTML that is safe inside the CDATA sections the feed library writes. The library splits only the
 * first "]]>" it finds, so a second one would end the section and let the rest through as XML;
 * "]]&gt;" is the same text to an HTML reader and cannot end a section.
 */
export function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}
