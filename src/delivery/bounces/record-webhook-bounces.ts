import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type DeliveryRef, MAX_DELIVERY_TOKEN_LENGTH, readDeliveryToken } from './delivery-token.ts';
import { type BounceReport, recordBounce } from './record-bounce.ts';

// The provider webhook's body: a generic shape any provider's events can be mapped to (in the
// provider's own webhook settings, or by a small relay), rather than one adapter per provider.

const webhookEvent = z
  .object({
    type: z.enum(['bounce', 'complaint']),
    bounce_type: z.enum(['hard', 'soft']).nullish(),
    recipient: z.string().max(320).nullish(),
    message_id: z.string().max(998).nullish(),
    delivery: z.string().max(200).nullish(),
    status: z
      .string()
      .regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'must be an enhanced status code like "5.1.1"')
      .nullish(),
    diagnostic: z.string().max(10_000).nullish(),
    occurred_at: z.iso.datetime({ offset: true }).nullish(),
  })
  .superRefine((event, issues) => {
    if (event.type === 'bounce' && !event.bounce_type) {
      issues.addIssue({ code: 'custom', path: ['bounce_type'], message: 'is required for a bounce: "hard" or "soft"' });
    }
    if (!event.recipient && !event.message_id && !event.delivery) {
      issues.addIssue({ code: 'custom', path: ['recipient'], message: 'give at least one of recipient, message_id or delivery' });
    }
  });

export const webhookPayload = z.object({ events: z.array(webhookEvent).min(1).max(1000) });
export type WebhookEvent = z.infer<typeof webhookEvent>;

/** "events.0.bounce_type: …": the first problem, naming the field, for the provider's logs. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the body does not have the expected shape';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  return `${where}: ${issue.message}`;
}

function deliveryOf(secret: string, event: WebhookEvent): DeliveryRef | null {
  if (event.delivery) {
    const ref = readDeliveryToken(secret, event.delivery.trim());
    if (ref) return ref;
  }
  const messageId = event.message_id?.trim().replace(/^<|>$/g, '');
  const left = messageId?.slice(0, messageId.indexOf('@'));
  if (left && left.length <= MAX_DELIVERY_TOKEN_LENGTH) return readDeliveryToken(secret, left);
  return null;
}

/**
 * Validates a webhook body (already authenticated by its signature) and records every event in
 * one transaction: all of them or, on any failure, none, so the provider's retry starts clean.
 * Throws a VALIDATION AppError naming the first bad field.
 */
export async function recordWebhookBounces(ctx: AppContext, body: unknown): Promise<{ accepted: number }> {
  const parsed = webhookPayload.safeParse(body);
  if (!parsed.success) {
    const message = describeIssue(parsed.error);
    throw new AppError('VALIDATION', message, { body: message });
  }
  const reports: BounceReport[] = parsed.data.events.map((event) => {
    const delivery = deliveryOf(ctx.config.secret, event);
    return {
      campaignId: delivery?.campaignId ?? null,
      subscriberId: delivery?.subscriberId ?? null,
      kind: event.type === 'complaint' ? 'complaint' : (event.bounce_type ?? 'soft'),
      source: 'webhook',
      statusCode: event.status ?? null,
      diagnostic: event.diagnostic ?? '',
      recipient: event.recipient ?? null,
    };
  });
  // A stable order (by subscriber, then address), so two concurrent requests lock subscribers alike.
  const order = (r: BounceReport) => r.subscriberId ?? `~${r.recipient ?? ''}`;
  reports.sort((a, b) => order(a).localeCompare(order(b)));
  await ctx.db.transaction().execute(async (trx) => {
    for (const report of reports) await recordBounce(ctx, report, trx);
  });
  return { accepted: reports.length };
}
