import type { BulkSendFailure } from '../../platform/mail/bulk-transport.ts';

// What a refused or failed message means for its ledger row.

/** Tries per recipient before a transient failure becomes permanent. */
export const MAX_ATTEMPTS = 10;

/** The longest wait between two tries of one recipient. */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/** Wait before the next try after attempt number `attempts` failed transiently: 2^attempts × base, at most 5 minutes. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(2 ** attempts * baseMs, MAX_RETRY_DELAY_MS);
}

/**
 * A permanent refusal of the recipient itself (no such mailbox, mailbox disabled, bad address):
 * a hard bounce, which suppresses the address. RFC 3463 class 5.1.x is about the address; without
 * an enhanced status, 550/551/553 in answer to RCPT TO mean the same. A 5xx for the content or
 * for policy (5.7.x, 552, 554 at DATA) fails the row but says nothing about the address.
 */
export function isRecipientRefusal(failure: BulkSendFailure): boolean {
  if (failure.transient) return false;
  if (failure.enhancedStatus) return failure.enhancedStatus.startsWith('5.1.');
  return failure.command === 'RCPT TO' && (failure.responseCode === 550 || failure.responseCode === 551 || failure.responseCode === 553);
}

/** The ledger's words for a failure: the server's reply, or what happened when there was none. */
export function describeFailure(failure: BulkSendFailure): string {
  return failure.reply.replace(/\s+/g, ' ').trim().slice(0, 300);
}
