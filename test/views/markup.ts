import fc from 'fast-check';
import type { JSX } from 'preact';
import { expect, it } from 'vitest';
import { renderDocument } from '../../src/platform/http/render.ts';
import type { SiteSettings } from '../../src/platform/settings/site-settings.ts';
import type { PageContext } from '../../src/platform/views/page-context.ts';

// Hostile text for the escaping properties, and the check that no markup of it survives rendering.

/** Whole attacks that try to break out of text, attributes, <title>, <textarea>, comments and CDATA. */
export const payloads = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '</title><script>alert(1)</script>',
  '</textarea><script>alert(1)</script>',
  '--><script>alert(1)</script><!--',
  ']]><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
  '&lt;script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<style>*{background:url(javascript:alert(1))}</style>',
  '<base href="//evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '\u2028<script>alert(1)</script>\u2029',
];

const fragments = ['<', '>', '"', "'", '`', '&', '=', '/', ' ', '\n', 'on', 'onerror=', 'script', 'img ', 'javascript:', 'data:', '&#x3C;'];

export const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...payloads),
  // Random splices of the pieces attacks are made of.
  fc.array(fc.oneof(fc.constantFrom(...fragments, ...payloads), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((p) => p.join('')),
  fc.string().map((s) => `<b onmouseover="x">${s}</b>`),
);

/** Attacks written in Markdown (links, images, autolinks, references) or as raw HTML in Markdown. */
export const markdownPayloads = [
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1)  )',
  '[click](&#106;avascript:alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](<javascript:alert(1)>)',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '![x](https://example.gov/x.png"onerror="alert(1))',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<a href="javascript:alert(1)">raw</a>',
  '[ref][x]\n\n[x]: javascript:alert(1)',
  '[ok](https://example.gov "t\\" onmouseover=\\"alert(1)")',
  '```html\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '# <img src=x onerror=alert(1)>',
  '> <svg onload=alert(1)>',
  '| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |',
  'www.example.gov/<script>alert(1)</script>',
  'https://example.gov/"onmouseover="alert(1)',
  '<details open ontoggle=alert(1)>',
];

export const hostileMarkdown = fc
  .array(fc.oneof(hostile, fc.constantFrom(...markdownPayloads)), { minLength: 1, maxLength: 5 })
  .chain((parts) => fc.constantFrom('\n\n', '\n', ' ', '').map((separator) => parts.join(separator)));

/** Addresses editors might type: script and data URLs in disguise, quote break-outs, and real links. */
export const urlPayloads = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  ' javascript:alert(1)',
  '\tjavascript:alert(1)',
  'java\nscript:alert(1)',
  'javascript://example.gov/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/',
  'https://example.gov/"><script>alert(1)</script>',
  "https://example.gov/' onmouseover='alert(1)",
  'https://example.gov/?q=<b onmouseover=x>',
  'http://example.gov/fine',
  'mailto:someone@example.gov',
];

export const hostileUrl = fc.oneof(fc.constantFrom(...urlPayloads), fc.webUrl(), hostile);

/** One hostile value for every kind of field a template shows. */
export const sample = fc.record({
  title: hostile,
  summary: hostile,
  body: hostileMarkdown,
  recap: hostileMarkdown,
  name: hostile,
  other: hostile,
  slug: hostile,
  text: hostile,
  email: hostile,
  url: hostileUrl,
  url2: hostileUrl,
  /** Picks among a template's variants (states, kinds, permissions). */
  variant: fc.nat({ max: 1023 }),
});

export type Sample = typeof sample extends fc.Arbitrary<infer T> ? T : never;

/** A page context whose settings and viewer are hostile too, so every page also tests the layout. */
export function context(settings: SiteSettings, displayName: string, path = '/admin'): PageContext {
  return {
    nonce: 'test-nonce',
    csrfToken: 'token',
    settings,
    viewer: { displayName, email: 'a@example.gov', staffRole: 'admin', hasSecondFactor: false },
    path,
    secondFactorPostponed: true,
  };
}

/** Every element the templates and the Markdown allowlist produce; anything else came from the input. */
const ownElements = new Set(
  (
    'html head meta title link script body a section div header img p button span nav ul li main footer h1 h2 h3 h4 h5 h6 address ' +
    'br form input label select option textarea table caption thead tbody tr th td dl dt dd time code pre strong em del blockquote ' +
    'ol hr figure figcaption mark aside article fieldset legend iframe'
  ).split(' '),
);
const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset', 'background', 'cite', 'data']);
const openTag = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const closeTag = /<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/y;
const attribute = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };

/** An attribute value as the browser reads it (one round of character references decoded). */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return entities[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers strip C0 controls and spaces before a URL.
const leadingControls = /^[\u0000-\u0020]+/;

/** Whether a browser would run or render the URL as script or inline data. */
export function dangerousUrl(value: string): boolean {
  const url = decodeAttribute(value)
    .replace(leadingControls, '')
    .replace(/[\t\n\r]/g, '')
    .toLowerCase();
  return /^(javascript|data|vbscript):/.test(url);
}

/**
 * What in `html` did not come from the templates: a raw "<" that starts no tag, an element the
 * templates never write, an event-handler attribute, a script without the page's nonce, or a
 * javascript:/data:/vbscript: URL. Tags are read the way a browser tokenises them, so a quote that
 * escaped its attribute shows up as an attribute of its own.
 */
export function injectedMarkup(html: string, options: { nonce?: string; allow?: string[] } = {}): string[] {
  const nonce = options.nonce ?? 'test-nonce';
  const allowed = new Set([...ownElements, ...(options.allow ?? [])]);
  const problems: string[] = [];
  const near = (at: number) => JSON.stringify(html.slice(Math.max(0, at - 40), at + 80));
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    if (at === 0 && html.startsWith('<!DOCTYPE html>')) continue;
    closeTag.lastIndex = at;
    const close = closeTag.exec(html);
    if (close) {
      if (!allowed.has(close[1]!.toLowerCase())) problems.push(`closing tag of a foreign element ${near(at)}`);
      continue;
    }
    openTag.lastIndex = at;
    const open = openTag.exec(html);
    if (!open) {
      problems.push(`a "<" that is not escaped ${near(at)}`);
      continue;
    }
    const name = open[1]!.toLowerCase();
    const attrs = new Map<string, string>();
    for (const a of open[2]!.matchAll(attribute)) attrs.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    if (!allowed.has(name)) problems.push(`foreign element <${name}> ${near(at)}`);
    for (const [attr, value] of attrs) {
      if (attr.startsWith('on')) problems.push(`event handler ${attr} on <${name}> ${near(at)}`);
      if (!/^[a-z][a-z0-9:-]*$/.test(attr)) problems.push(`odd attribute name ${JSON.stringify(attr)} on <${name}> ${near(at)}`);
      if (urlAttributes.has(attr) && dangerousUrl(value)) problems.push(`${attr}=${JSON.stringify(value)} on <${name}> ${near(at)}`);
    }
    if (name === 'script' && (attrs.get('nonce') !== nonce || !attrs.get('src')?.startsWith('/assets/'))) {
      problems.push(`script that is not ours ${near(at)}`);
    }
    if (name === 'iframe' && (attrs.get('sandbox') !== '' || !attrs.get('src')?.startsWith('/admin/mail/'))) {
      problems.push(`iframe that is not the sandboxed mail frame ${near(at)}`);
    }
    if (name === 'meta' && !attrs.has('charset') && attrs.get('name') !== 'viewport') problems.push(`foreign <meta> ${near(at)}`);
    if (name === 'link' && !attrs.get('href')?.startsWith('/')) problems.push(`foreign <link> ${near(at)}`);
  }
  return problems;
}

/** No markup from the input survives: every < in user text is escaped, so no element, handler or script URL appears. */
export function expectNoInjectedMarkup(html: string, options: { nonce?: string; allow?: string[] } = {}) {
  expect(injectedMarkup(html, options)).toEqual([]);
}

/** One test per template: `numRuns` hostile samples rendered to a whole document, none may inject markup. */
export function checkTemplates(templates: Record<string, (s: Sample) => JSX.Element>, numRuns = 150) {
  for (const [name, render] of Object.entries(templates)) {
    it(name, () => {
      fc.assert(
        fc.property(sample, (s) => expectNoInjectedMarkup(renderDocument(render(s)))),
        { numRuns },
      );
    });
  }
}

/** One of `options`, chosen by the sample; a different `salt` makes an independent-looking choice. */
export function pick<T>(s: Sample, options: readonly T[], salt = 1): T {
  return options[Math.floor(s.variant / salt) % options.length]!;
}
