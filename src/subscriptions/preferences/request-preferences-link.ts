import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { parseSubscriberEmail } from '../subscriber-email.ts';

export const SEND_PREFERENCES_LINK_JOB = 'subscriptions.send-preferences-link';

/**
 * "Enter your address to manage your subscription". Only the address's syntax is checked here;
 * whether it is a subscriber is looked up later, in a job, so this request does the same work, writes
 * the same rows and takes the same time for every address (no subscriber enumeration, ASVS 6.3.8).
 */
export async function requestPreferencesLink(ctx: AppContext, input: { email: string }): Promise<void> {
  const parsed = parseSubscriberEmail(input.email);
  if (!parsed.ok) throw validation({ email: parsed.message });
  await enqueueJob(ctx.db, ctx.clock, { name: SEND_PREFERENCES_LINK_JOB, payload: { email: parsed.email } });
}
