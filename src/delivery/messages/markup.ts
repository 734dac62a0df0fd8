// The one way e-mail markup (MJML and the HTML inside it) is written: the `markup` tag escapes every
// value it is given unless the value is itself Markup, so user text can only become markup by
// passing through here, and forgetting to escape is not possible.

/** Markup that is safe to insert as-is: built by `markup`, or sanitised HTML wrapped by `trustedHtml`. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// C0 controls other than tab and line feed, DEL and C1 controls have no business in a message, and
// an XML parser (MJML's) may refuse some of them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text as HTML character data or a quoted attribute value: &, <, >, " and ' escaped, control characters dropped. */
export function escapeHtml(text: string): string {
  return text.replace(controls, '').replace(/[&<>"']/g, (c) => entities[c]!);
}

/** Wraps HTML that is already safe (sanitised Markdown, our own constants). */
export function trustedHtml(html: string): Markup {
  return new Markup(html);
}

export type MarkupValue = string | number | Markup | null | undefined | false | readonly MarkupValue[];

function render(value: MarkupValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A template of markup: the literal parts are trusted, every interpolated value is escaped unless it is Markup. */
export function markup(literals: TemplateStringsArray, ...values: MarkupValue[]): Markup {
  let html = literals[0]!;
  for (let i = 0; i < values.length; i++) html += render(values[i]) + literals[i + 1]!;
  return new Markup(html);
}
