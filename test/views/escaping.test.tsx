import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startTotpEnrolment } from '../../src/accounts/enrol-second-factor.ts';
import { AccountPage, EnrolSecondFactorPage } from '../../src/accounts/views/account-pages.tsx';
import { RecoveryRequestPage, ResetPasswordPage } from '../../src/accounts/views/recovery-pages.tsx';
import { SetupPage } from '../../src/accounts/views/setup-page.tsx';
import { SecondFactorPage, SignInPage } from '../../src/accounts/views/sign-in-pages.tsx';
import { AuditPage } from '../../src/administration/views/audit-page.tsx';
import { DashboardPage } from '../../src/administration/views/dashboard-page.tsx';
import { MailboxPage, MailMessagePage } from '../../src/administration/views/mail-pages.tsx';
import { SettingsPage } from '../../src/administration/views/settings-page.tsx';
import { StaffPage } from '../../src/administration/views/staff-page.tsx';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { renderDocument } from '../../src/platform/http/render.ts';
import { defaultSiteSettings } from '../../src/platform/settings/site-settings.ts';
import { ErrorPage } from '../../src/platform/views/error-page.tsx';
import { checkTemplates, context, expectNoInjectedMarkup, hostile, injectedMarkup, pick, type Sample, sample } from './markup.ts';
import { at, hostileSettings } from './rows.ts';

const ctx = (s: Sample, path = '/admin') => context(hostileSettings(s), s.name, path);

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

describe('account pages escape user-controlled text', () => {
  checkTemplates({
    account: (s) =>
      AccountPage({
        ctx: ctx(s, '/account'),
        account: {
          email: s.email,
          displayName: s.name,
          staffRole: pick(s, ['admin', s.other, null]),
          secondFactorSince: pick(s, [at, null], 3),
        },
        organisations: [{ id: s.slug, name: s.title, role: s.other }],
        notice: s.text,
        errors: { currentPassword: s.summary, newPassword: s.other },
      }),
    'sign in': (s) => SignInPage({ ctx: ctx(s, '/login'), email: s.email, error: s.summary, notice: s.text, next: s.url }),
    'second factor': (s) => SecondFactorPage({ ctx: ctx(s, '/login/second-factor'), error: s.summary, next: s.url }),
    'account setup': (s) =>
      SetupPage({
        ctx: ctx(s, '/setup/x'),
        token: s.slug,
        role: pick(s, [s.other, null]),
        email: pick(s, [s.email, null], 2),
        values: { email: s.email, displayName: s.name },
        errors: { email: s.summary, displayName: s.other, password: s.text },
      }),
    'recovery request': (s) => RecoveryRequestPage({ ctx: ctx(s, '/account/recover'), sent: pick(s, [true, false]), error: s.summary }),
    'reset password': (s) => ResetPasswordPage({ ctx: ctx(s, '/account/recover/x'), token: s.slug, error: s.summary }),
  });

  it('second-factor enrolment (the QR code is made from a hostile address and site name)', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    await fc.assert(
      fc.asyncProperty(sample, async (s) => {
        const enrolment = await startTotpEnrolment({ config } as AppContext, { email: s.email, siteName: s.name });
        const page = EnrolSecondFactorPage({ ctx: ctx(s, '/account/second-factor'), enrolment, error: s.summary, postponable: true });
        // The QR code is the page's own SVG (paths only); it is the one place svg is expected.
        expectNoInjectedMarkup(renderDocument(page), { allow: ['svg', 'path'] });
      }),
      { numRuns: 150 },
    );
  });
});

describe('staff, settings, audit, mail and error pages escape user-controlled text', () => {
  checkTemplates({
    dashboard: (s) =>
      DashboardPage({
        ctx: ctx(s),
        counts: { staff: 3, mail: 2, mailKind: pick(s, ['dev', 'smtp']), database: pick(s, ['sqlite', s.text]) },
      }),
    staff: (s) =>
      StaffPage({
        ctx: ctx(s, '/admin/users'),
        staff: [
          { id: s.slug, email: s.email, display_name: s.name, staff_role: pick(s, ['editor', null]), status: s.text, totp_enabled_at: at },
        ],
        invited: { email: s.email, url: s.url },
        notice: s.summary,
        errors: { email: s.other, displayName: s.title, role: s.text },
        values: { email: s.email, displayName: s.name, role: s.other },
      }),
    settings: (s) =>
      SettingsPage({
        ctx: ctx(s, '/admin/settings'),
        values: hostileSettings(s),
        errors: { siteName: s.other, agencyWebsite: s.summary, [s.text]: s.title },
        saved: pick(s, [true, false]),
      }),
    'audit log': (s) =>
      AuditPage({
        ctx: ctx(s, '/admin/audit'),
        entries: [
          {
            id: 1,
            at,
            actor: s.name,
            action: s.title,
            subject_type: s.other,
            subject_id: s.slug,
            details: JSON.stringify({ note: s.summary }),
          },
          { id: 2, at, actor: s.email, action: s.text, subject_type: null, subject_id: null, details: s.summary },
        ],
        page: pick(s, [1, 2]),
        pageCount: 2,
      }),
    'dev mailbox': (s) =>
      MailboxPage({
        ctx: ctx(s, '/admin/mail'),
        messages: [{ id: 1, created_at: at, sender: s.email, recipients: s.other, subject: pick(s, [s.title, '']) }],
        page: 1,
        pageCount: pick(s, [1, 2], 2),
        smtp: pick(s, [true, false], 4),
      }),
    'dev mail message': (s) =>
      MailMessagePage({
        ctx: ctx(s, '/admin/mail/1'),
        id: 1,
        message: {
          subject: pick(s, [s.title, '']),
          from: s.email,
          to: s.other,
          date: undefined,
          text: pick(s, [s.summary, undefined], 2),
          html: pick(s, [s.body, undefined], 4),
          headers: [
            ['subject', s.title],
            [s.other, s.text],
          ],
        },
      }),
    'error page': (s) =>
      ErrorPage({
        ctx: ctx(s, s.slug),
        status: pick(s, [400, 403, 404, 500, 418]),
        message: s.summary,
        reference: pick(s, [s.text, undefined], 8),
      }),
  });
});

describe('the injected-markup check', () => {
  // What a template that forgot to escape would produce: each must be caught, or the properties prove nothing.
  const broken = [
    '<p><script>alert(1)</script></p>',
    '<p><img src="x" onerror="alert(1)"></p>',
    '<p title="x" onmouseover="alert(1)">x</p>',
    '<input value="" autofocus onfocus="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa&#x53;cript:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<img src="data:image/svg+xml,x">',
    '<form action="javascript:alert(1)"></form>',
    '<p><svg></svg></p>',
    '<p><b>bold</b></p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<meta http-equiv="refresh" content="0">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<script nonce="test-nonce">alert(1)</script>',
    '<p>1 < 2</p>',
    '<p><!-- x --></p>',
  ];

  it.each(broken)('catches %s', (html) => {
    expect(injectedMarkup(html)).not.toEqual([]);
  });

  it('accepts escaped text, our scripts, the mail frame and safe links', () => {
    const html =
      '<!DOCTYPE html><html><head><meta charset="utf-8"/><link rel="stylesheet" href="/assets/app.css"/>' +
      '<script nonce="test-nonce" src="/assets/uswds/js/uswds-init.min.js"></script></head><body>' +
      '<p title="&quot;>&lt;img onerror=x>">&lt;script>alert(1)&lt;/script> a > b &amp; c</p>' +
      '<a href="https://example.gov/?q=javascript:x">x</a><a href="/articles/javascript:x">y</a>' +
      '<input value="x onerror=alert(1)" required><iframe src="/admin/mail/1/html" sandbox=""></iframe></body></html>';
    expect(injectedMarkup(html)).toEqual([]);
  });
});
