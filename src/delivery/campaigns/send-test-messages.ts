import type { AppContext } from '../../platform/context.ts';
import { AppError, validation } from '../../platform/errors.ts';
import { BulkSendError } from '../../platform/mail/bulk-transport.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { parseSubscriberEmail } from '../../subscriptions/subscriber-email.ts';
import { openBulkTransport } from '../engine/transport.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';
import { getCampaign } from './campaign-queries.ts';
import { campaignAudit } from './campaign-rules.ts';
import { withCompiledMessage } from './preview-campaign.ts';

/** Addresses one test send may go to: enough for a few colleagues, too few to be a mailing. */
export const MAX_TEST_ADDRESSES = 5;

/** The addresses of the test form: 1 to MAX_TEST_ADDRESSES, separated by commas, semicolons or new lines. */
export function parseTestAddresses(text: string): string[] {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw validation({ testAddresses: 'Enter at least one e-mail address to send the test to.' });
  if (parts.length > MAX_TEST_ADDRESSES) {
    throw validation({ testAddresses: `Enter at most ${MAX_TEST_ADDRESSES} addresses: a test is for checking, not for sending.` });
  }
  const addresses: string[] = [];
  for (const part of parts) {
    const parsed = parseSubscriberEmail(part);
    if (!parsed.ok) throw validation({ testAddresses: `“${part.slice(0, 80)}”: ${parsed.message}` });
    if (!addresses.includes(parsed.email)) addresses.push(parsed.email);
  }
  return addresses;
}

/**
 * A test of the campaign to a few staff addresses: the same message subscribers get, with "[Test]"
 * in the subject and links that lead to the public pages rather than to anyone's subscription.
 * Works before the send (from the source as it is now) and after it (the bytes that were sent).
 */
export async function sendTestMessages(
  ctx: AppContext,
  options: { campaignId: number; addresses: string; actor: StaffActor },
): Promise<{ sentTo: string[] }> {
  const campaign = await getCampaign(ctx, options.campaignId);
  if (campaign.status === 'cancelled') throw new AppError('CONFLICT', 'This campaign was cancelled, so there is nothing to test.');
  const addresses = parseTestAddresses(options.addresses);
  const prepared = await prepareMessages(ctx, await withCompiledMessage(ctx, campaign));
  // The bulk path, as the send itself will take: the same relay (or the dev mailbox), the same bytes.
  const transport = openBulkTransport(ctx, 1);
  try {
    for (const address of addresses) {
      const message = prepared.renderTest(address);
      await transport.send({ envelope: { from: message.envelopeFrom, to: message.to }, raw: message.raw });
    }
  } catch (error) {
    if (!(error instanceof BulkSendError)) throw error;
    throw validation({ testAddresses: `The mail server did not take the test: ${error.reply}` }, 'The test was not sent.');
  } finally {
    await transport.close();
  }
  await ctx.audit.record({
    action: 'campaign.test_sent',
    ...campaignAudit(options.actor, campaign.id),
    details: { addresses: addresses.length },
  });
  return { sentTo: addresses };
}
