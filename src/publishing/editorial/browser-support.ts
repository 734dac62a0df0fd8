import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { freshTotp, type Staff, staffWithSecondFactor, submit } from '../../../test/browser/harness.ts';

export { check, open, type Staff, skipBrowserValidation, submit } from '../../../test/browser/harness.ts';

import { createStaff } from '../../../test/support/app.ts';
import type { AppContext } from '../../platform/context.ts';

// Helpers for the editorial browser tests (not a test file itself).

/** A staff member; publishers get an authenticator already enrolled (sealed as the app stores it). */
export async function browserStaff(ctx: AppContext, role: 'editor' | 'publisher', email: string): Promise<Staff> {
  if (role === 'publisher') return staffWithSecondFactor(ctx, role, email);
  return { ...(await createStaff(ctx, role, email)), totpKey: null };
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
