import { type Staff, staffWithSecondFactor } from '../../../test/browser/harness.ts';

export { check, open, type Staff, signIn, skipBrowserValidation, submit } from '../../../test/browser/harness.ts';

import { createStaff } from '../../../test/support/app.ts';
import type { AppContext } from '../../platform/context.ts';

// Helpers for the editorial browser tests (not a test file itself).

/** A staff member; publishers get an authenticator already enrolled (sealed as the app stores it). */
export async function browserStaff(ctx: AppContext, role: 'editor' | 'publisher', email: string): Promise<Staff> {
  if (role === 'publisher') return staffWithSecondFactor(ctx, role, email);
  return { ...(await createStaff(ctx, role, email)), totpKey: null };
}
