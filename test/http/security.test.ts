import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/platform/context.ts';
import { AppError } from '../../src/platform/errors.ts';
import { Browser, createStaff, createTestApp, csrfTokenIn } from '../support/app.ts';
import { createTestDatabase } from '../support/databases.ts';

// Pages a visitor or a signed-in administrator can reach; each must carry the security headers.
const publicPages = ['/', '/login', '/account/recover', '/contact', '/no-such-page', '/setup/not-a-valid-token'];
const staffPages = [
  '/account',
  '/account/second-factor',
  '/admin',
  '/admin/users',
  '/admin/settings',
  '/admin/mail',
  '/admin/audit',
  '/admin/contact',
];

function expectSecurityHeaders(headers: Record<string, unknown>, url: string) {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, url).toContain("object-src 'none'");
  expect(csp, url).toContain("base-uri 'none'");
  expect(csp, url).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options'], url).toBe('nosniff');
  expect(headers['referrer-policy'], url).toBe('same-origin');
}

describe('security defaults over http (local demo)', () => {
  let app: FastifyInstance;
  let ctx: AppContext;
  let admin: Browser;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase('sqlite');
    drop = database.drop;
    const boom = async (scope: FastifyInstance) => {
      scope.get('/test/boom', async () => {
        throw new Error('secret internal detail at /srv/dispatch/src/thing.ts:42');
      });
      scope.get('/test/app-error', async () => {
        throw new AppError('CONFLICT', 'That has already been done.');
      });
    };
    ({ app, ctx } = await createTestApp(database, { extraRoutes: [boom] }));
    const staff = await createStaff(ctx, 'admin');
    admin = new Browser(app);
    await admin.signIn(staff.email, staff.password);
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('sends CSP with a fresh nonce, nosniff and a referrer policy on every page', async () => {
    const nonces = new Set<string>();
    for (const url of publicPages) {
      const response = await app.inject({ url });
      expectSecurityHeaders(response.headers, url);
      nonces.add(String(response.headers['content-security-policy']).match(/nonce-([^']+)/)?.[1] ?? '');
      // The nonce in the header is the one on the page's scripts.
      const pageNonce = response.body.match(/<script nonce="([^"]+)"/)?.[1];
      expect(String(response.headers['content-security-policy'])).toContain(`'nonce-${pageNonce}'`);
    }
    for (const url of staffPages) {
      const response = await admin.get(url);
      expect(response.statusCode, url).toBe(200);
      expectSecurityHeaders(response.headers, url);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    expect(nonces.size).toBe(publicPages.length);
  });

  it('sends no HSTS over plain http', async () => {
    expect((await app.inject({ url: '/' })).headers['strict-transport-security']).toBeUndefined();
  });

  it('shows a generic page with a reference and no stack for an unexpected error', async () => {
    const response = await app.inject({ url: '/test/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Something went wrong');
    expect(response.body).toMatch(/reference <code>[0-9a-f-]{36}<\/code>/);
    expect(response.body).not.toContain('secret internal detail');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    expectSecurityHeaders(response.headers, '/test/boom');
  });

  it('maps expected errors to their status and message', async () => {
    const response = await app.inject({ url: '/test/app-error' });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('That has already been done.');
  });

  it('answers unknown pages with 404 and malformed ids with 400', async () => {
    expect((await app.inject({ url: '/nothing/here' })).statusCode).toBe(404);
    expect((await admin.get('/admin/mail/abc')).statusCode).toBe(400);
    expect((await admin.get('/admin/mail/999999')).statusCode).toBe(404);
  });

  it('never sets cookies or no-store on a public page', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it('reports liveness and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', database: 'sqlite' });
  });
});

describe('CSRF protection', () => {
  let app: FastifyInstance;
  let ctx: AppContext;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase('sqlite');
    drop = database.drop;
    ({ app, ctx } = await createTestApp(database));
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('refuses a state-changing request without a token', async () => {
    const browser = new Browser(app);
    await browser.get('/account/recover');
    const response = await browser.post('/account/recover', { email: 'someone@example.gov' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('form session expired');
  });

  it('refuses a token without its cookie, and a forged token', async () => {
    const page = await app.inject({ url: '/account/recover' });
    const token = csrfTokenIn(page.body);
    const noCookie = await new Browser(app).post('/account/recover', { _csrf: token, email: 'someone@example.gov' });
    expect(noCookie.statusCode).toBe(403);
    const browser = new Browser(app);
    await browser.get('/account/recover');
    const forged = await browser.post('/account/recover', { _csrf: 'forged-token-value', email: 'someone@example.gov' });
    expect(forged.statusCode).toBe(403);
  });

  it('refuses a cross-site Origin or Sec-Fetch-Site even with a valid token', async () => {
    const browser = new Browser(app);
    const crossOrigin = await browser.submit(
      '/account/recover',
      '/account/recover',
      { email: 'a@example.gov' },
      { origin: 'https://evil.example' },
    );
    expect(crossOrigin.statusCode).toBe(403);
    const crossSite = await browser.submit(
      '/account/recover',
      '/account/recover',
      { email: 'a@example.gov' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    const sameOrigin = await browser.submit(
      '/account/recover',
      '/account/recover',
      { email: 'a@example.gov' },
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    );
    expect(sameOrigin.statusCode).toBe(200);
    expect(await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.recovery.requested').execute()).toHaveLength(1);
  });

  it('changes nothing on GET: visiting a setup link does not spend it', async () => {
    const staffCount = async () => (await ctx.db.selectFrom('auth_tokens').select('used_at').execute()).filter((t) => t.used_at).length;
    const before = await staffCount();
    await app.inject({ url: '/setup/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(await staffCount()).toBe(before);
  });
});

describe('security defaults over https', () => {
  it('sends HSTS and uses __Host- cookies', async () => {
    const database = await createTestDatabase('sqlite');
    const { app } = await createTestApp(database, { env: { PUBLIC_URL: 'https://dispatch.example.gov' } });
    const page = await app.inject({ url: '/login' });
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-dispatch_csrf=/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Path=/');
    await app.close();
    await database.drop();
  });
});
