import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountPage } from '../../src/accounts/views/account-pages.tsx';
import { StaffPage } from '../../src/administration/views/staff-page.tsx';
import { renderDocument } from '../../src/platform/http/render.ts';
import { defaultSiteSettings, type SiteSettings } from '../../src/platform/settings/site-settings.ts';
import { ErrorPage } from '../../src/platform/views/error-page.tsx';
import type { PageContext } from '../../src/platform/views/page-context.ts';

// Strings that try to break out of text, attributes and URLs.
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    'javascript:alert(1)',
    '</title><script>alert(1)</script>',
    '{{constructor.constructor("alert(1)")()}}',
    '&lt;script&gt;',
  ),
  fc.string().map((s) => `<b onmouseover="x">${s}</b>`),
);

function context(settings: SiteSettings, displayName: string): PageContext {
  return {
    nonce: 'test-nonce',
    csrfToken: 'token',
    settings,
    viewer: { displayName, email: 'a@example.gov', staffRole: 'admin', hasSecondFactor: false },
    path: '/admin',
    secondFactorPostponed: true,
  };
}

/** No markup from the input survives: every < in user text is escaped, so no element or handler appears. */
function expectNoInjectedMarkup(html: string) {
  expect(html).not.toMatch(/<script(?![^>]*nonce="test-nonce")/i);
  expect(html).not.toMatch(/<(img|svg|b)\b[^>]*\son\w+=/i);
  expect(html).not.toMatch(/href="javascript:/i);
}

describe('templates escape user-controlled text', () => {
  it('in the layout (settings), account and staff pages, and the error page', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        const settings = { ...defaultSiteSettings, siteName: a, tagline: b, officeName: c, streetAddress: a, responseCenterPhone: b };
        const ctx = context(settings, c);
        const pages = [
          AccountPage({
            ctx,
            account: { email: a, displayName: b, staffRole: 'admin', secondFactorSince: null },
            organisations: [{ id: c, name: a, role: b }],
          }),
          StaffPage({
            ctx,
            staff: [{ id: a, email: b, display_name: c, staff_role: 'editor', status: 'active', totp_enabled_at: null }],
            errors: { email: a },
            values: { email: b, displayName: c },
          }),
          ErrorPage({ ctx, status: 400, message: a, reference: b }),
        ];
        for (const page of pages) expectNoInjectedMarkup(renderDocument(page));
      }),
      { numRuns: 300 },
    );
  });
});
