import { existsSync } from 'node:fs';
import net from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { totpBox } from '../../src/accounts/verify-second-factor.ts';
import { iso } from '../../src/platform/clock.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { createStaff, createTestApp } from '../support/app.ts';
import { createTestDatabase, type Engine } from '../support/databases.ts';

/**
 * Shared set-up for the browser tests: the real app listening on a free local port, and a headless
 * Chromium from the system (never a downloaded one).
 */

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

if (chromiumMissing && process.env.CI === 'true') {
  // Under CI a missing browser must fail the run, never quietly skip the browser tests.
  throw new Error(`CI=true but ${CHROMIUM} does not exist: the browser tests cannot run.`);
}

/** Generous: the test machine has two cores and Chromium is not light. */
export const BROWSER_TEST_TIMEOUT = 120_000;
export const BROWSER_HOOK_TIMEOUT = 120_000;

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const TOTP_PERIOD_MS = 30_000;

export interface RunningApp {
  app: FastifyInstance;
  ctx: AppContext;
  origin: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * The real application on a test database (in-memory SQLite unless `engine` says otherwise), listening on 127.0.0.1. PUBLIC_URL is that
 * origin, so e-mailed links work in the browser and the app runs as a local demo.
 */
export async function startApp(options: { env?: Record<string, string>; engine?: Engine } = {}): Promise<RunningApp> {
  const handle = await createTestDatabase(options.engine ?? 'sqlite');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const { app, ctx } = await createTestApp(handle, { env: { PUBLIC_URL: origin, PORT: String(port), ...options.env } });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    ctx,
    origin,
    async close() {
      await app.close();
      await handle.drop();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface ConsoleProblem {
  url: string;
  text: string;
}

/**
 * A browser context whose pages report CSP violations, other console errors and uncaught page
 * errors into the arrays below.
 */
export class WatchedContext {
  readonly cspViolations: ConsoleProblem[] = [];
  readonly consoleErrors: ConsoleProblem[] = [];
  readonly pageErrors: ConsoleProblem[] = [];

  private constructor(readonly context: BrowserContext) {}

  static async open(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedContext> {
    return new WatchedContext(await browser.newContext(options));
  }

  async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    page.on('console', (message) => {
      const entry = { url: page.url(), text: message.text() };
      if (entry.text.includes('Content Security Policy')) this.cspViolations.push(entry);
      // An error status of the page itself (a 404 page, a form re-shown with 400) is expected, not a problem.
      else if (message.type() === 'error' && !(entry.text.startsWith('Failed to load resource') && message.location().url === page.url())) {
        this.consoleErrors.push(entry);
      }
    });
    page.on('pageerror', (error) => this.pageErrors.push({ url: page.url(), text: String(error) }));
    return page;
  }

  close() {
    return this.context.close();
  }
}

export interface AxeFinding {
  page: string;
  rule: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
  html: string[];
}

/** Runs axe with the WCAG 2.1 A/AA rules on the page as it is now; returns the violations, flattened. */
export async function axeViolations(page: Page, label: string): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => ({
    page: label,
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
    html: v.nodes.map((n) => n.html.slice(0, 200)),
  }));
}

/** A readable listing of axe findings for an assertion message. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((f) => `${f.page}: ${f.rule} (${f.impact}) ${f.help}\n${f.targets.map((t, i) => `    ${t}\n      ${f.html[i]}`).join('\n')}`)
    .join('\n');
}

export function totpFor(base32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30, algorithm: 'SHA1' });
}

export function totpStep(at = Date.now()): number {
  return Math.floor(at / TOTP_PERIOD_MS);
}

/**
 * A code for a time step later than `usedStep` (the app refuses to accept the same step twice),
 * waiting for the next step when needed. Returns the code and its step.
 */
export async function freshTotp(base32: string, usedStep: number): Promise<{ code: string; step: number }> {
  let now = Date.now();
  if (totpStep(now) <= usedStep) {
    const wait = (usedStep + 1) * TOTP_PERIOD_MS - now + 250;
    await new Promise((resolve) => setTimeout(resolve, wait));
    now = Date.now();
  }
  return { code: totpFor(base32).generate({ timestamp: now }), step: totpStep(now) };
}

/** The manual-entry key on the enrolment page, without the grouping spaces. */
export async function enrolmentKeyOn(page: Page): Promise<string> {
  const text = (await page.locator('p', { hasText: 'Enter this key instead' }).locator('code').textContent()) ?? '';
  const key = text.replace(/\s+/g, '');
  if (!/^[A-Z2-7]+=*$/.test(key)) throw new Error(`The enrolment key is not base32: ${JSON.stringify(text)}`);
  return key;
}

/** The page's level-1 heading text. */
export async function heading(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

/** Opens `path` (or an absolute URL, such as a link from an e-mail) and checks its status. */
export async function open(page: Page, origin: string, path: string, status = 200) {
  const response = await page.goto(path.startsWith('http') ? path : `${origin}${path}`);
  expect(response?.status(), `status of ${path}`).toBe(status);
}

/** Runs axe (WCAG 2.1 A/AA) on the page as it is, and checks for CSP violations and script errors. */
export async function expectAccessible(watched: WatchedContext, page: Page, label: string, since: { csp: number; errors: number }) {
  const findings = await axeViolations(page, label);
  expect(findings, `axe violations on ${label}:\n${describeFindings(findings)}`).toEqual([]);
  expect(watched.cspViolations.slice(since.csp), `CSP violations on ${label}`).toEqual([]);
  expect(watched.pageErrors.slice(since.errors), `script errors on ${label}`).toEqual([]);
}

/** Opens a page in `watched`, brings it to the state to check, and runs the checks on it. */
export async function check(watched: WatchedContext, label: string, visit: (page: Page) => Promise<unknown>) {
  const since = { csp: watched.cspViolations.length, errors: watched.pageErrors.length };
  const page = await watched.newPage();
  try {
    await visit(page);
    await expectAccessible(watched, page, label, since);
  } finally {
    await page.close();
  }
}

/**
 * Ticks or clears a checkbox or radio button as a person does, by clicking its label: USWDS moves
 * the input itself off screen and draws the box on the label, so the input cannot be clicked.
 */
export async function setChecked(input: Locator, checked = true) {
  if ((await input.isChecked()) === checked) return;
  const id = await input.getAttribute('id');
  await input.page().locator(`label[for="${id}"]`).click();
  expect(await input.isChecked()).toBe(checked);
}

/** Clicks a submit button and waits for the page the form leads to; returns that page's status. */
export async function submit(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
    ),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

/** Lets the page's forms post what the browser's own validation would stop, as a browser without it would. */
export async function skipBrowserValidation(page: Page) {
  await page.evaluate(() => {
    for (const form of document.querySelectorAll('form')) form.noValidate = true;
  });
}

export interface Staff {
  email: string;
  password: string;
  userId: string;
  totpKey: string | null;
}

/** An active staff account with an authenticator already enrolled (the seed sealed as the app stores it). */
export async function staffWithSecondFactor(
  ctx: AppContext,
  role: 'admin' | 'editor' | 'publisher',
  email: string,
): Promise<Staff & { totpKey: string }> {
  const staff = await createStaff(ctx, role, email);
  const totpKey = new Secret({ size: 20 }).base32;
  const now = iso(ctx.clock.now());
  await ctx.db
    .updateTable('users')
    .set({ totp_secret: totpBox(ctx).seal(totpKey), totp_enabled_at: now, totp_last_step: null, updated_at: now })
    .where('id', '=', staff.userId)
    .execute();
  return { ...staff, totpKey };
}

/** Signs `staff` in on `page`: password, then (for those with an authenticator) a fresh TOTP code. */
export async function signIn(page: Page, origin: string, staff: Staff): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('E-mail address').fill(staff.email);
  await page.getByLabel('Password').fill(staff.password);
  await submit(page, page.getByRole('button', { name: 'Sign in' }));
  if (!staff.totpKey) return;
  expect(new URL(page.url()).pathname).toBe('/login/second-factor');
  const { code } = await freshTotp(staff.totpKey, -1);
  await page.getByLabel('6-digit code').fill(code);
  expect(await submit(page, page.getByRole('button', { name: 'Verify' }))).toBe(200);
}
