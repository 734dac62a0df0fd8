import { Secret } from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { freshTotp } from '../../../test/browser/harness.ts';

export { check, open } from '../../../test/browser/harness.ts';

import { createStaff } from '../../../test/support/app.ts';
import { totpBox } from '../../accounts/verify-second-factor.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';

// Helpers for the editorial browser tests (not a test file itself).

export interface Staff {
  email: string;
  password: string;
  totpKey: string | null;
}

/** A staff member; publishers get an authenticator already enrolled (sealed as the app stores it). */
export async function browserStaff(ctx: AppContext, role: 'editor' | 'publisher', email: string): Promise<Staff> {
  const staff = await createStaff(ctx, role, email);
  if (role === 'editor') return { ...staff, totpKey: null };
  const totpKey = new Secret({ size: 20 }).base32;
  const now = iso(ctx.clock.now());
  await ctx.db
    .updateTable('users')
    .set({ totp_secret: totpBox(ctx).seal(totpKey), totp_enabled_at: now, totp_last_step: null, updated_at: now })
    .where('id', '=', staff.userId)
    .execute();
  return { ...staff, totpKey };
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

/** Lets forms post what the browser's own validation would stop, as a browser without it would. */
export async function skipBrowserValidation(page: Page) {
  await page.evaluate(() => {
    for (const form of document.querySelectorAll('form')) form.noValidate = true;
  });
}

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
