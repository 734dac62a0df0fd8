import { sql } from 'kysely';
import { z } from 'zod';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { eligibleRecipients } from '../../subscriptions/audience.ts';
import { campaignAudience } from '../campaigns/campaign-queries.ts';
import { systemActor } from '../campaigns/campaign-rules.ts';
import { type CompiledCampaign, compileCampaign } from '../messages/compile-campaign.ts';

const payloadSchema = z.object({ campaignId: z.number().int().positive() });

/**
 * The job behind Send (delivery.start-campaign): compiles the message once, then in ONE
 * transaction writes a ledger row per eligible recipient (INSERT … SELECT from the audience, so a
 * million rows never pass through this process), stores the compiled message and moves the
 * campaign to sending. Either all of that happens or none of it. The transaction starts by
 * flipping queued → sending conditionally, so a retried or duplicated job finds the campaign gone
 * from "queued" and does nothing: a ledger is written once.
 */
export async function writeCampaignLedger(ctx: AppContext, payload: unknown): Promise<void> {
  const { campaignId } = payloadSchema.parse(payload);
  const campaign = await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  if (campaign?.status !== 'queued') return;

  let compiled: CompiledCampaign;
  try {
    compiled = await compileCampaign(ctx, campaign);
  } catch (error) {
    // The source was unpublished or deleted after Send: retrying will not bring it back. The
    // campaign goes back to draft with the reason, rather than sitting in "starting" for ever.
    if (error instanceof AppError) return returnToDraft(ctx, campaignId, error.message);
    throw error;
  }

  const now = iso(ctx.clock.now());
  const written = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('delivery_campaigns')
      .set({
        status: 'sending',
        subject: compiled.subject,
        compiled_html: compiled.html,
        compiled_text: compiled.text,
        started_at: now,
        updated_at: now,
      })
      .where('id', '=', campaignId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) return null;
    const eligible = eligibleRecipients(trx, campaignAudience(campaign)).as('eligible');
    const inserted = await trx
      .insertInto('delivery_recipients')
      .columns(['campaign_id', 'subscriber_id', 'topic_id', 'status', 'due_at', 'attempts'])
      .expression(
        trx
          .selectFrom(eligible)
          // Literals, not parameters: PostgreSQL types a bare parameter in a SELECT list as text
          // and would refuse it for the integer column. Both values are ours (a number, a timestamp).
          .select([
            sql.lit(campaignId).as('campaign_id'),
            'eligible.subscriber_id',
            'eligible.topic_id',
            sql.lit('pending').as('status'),
            sql.lit(now).as('due_at'),
            sql.lit(0).as('attempts'),
          ]),
      )
      .executeTakeFirst();
    const recipients = Number(inserted.numInsertedOrUpdatedRows ?? 0n);
    await trx
      .updateTable('delivery_campaigns')
      // Nobody eligible: nothing will ever be claimed, so the campaign is finished now.
      .set(recipients === 0 ? { recipients, status: 'finished', finished_at: now } : { recipients })
      .where('id', '=', campaignId)
      .execute();
    return recipients;
  });
  if (written !== null) ctx.log.info({ campaignId, recipients: written }, 'campaign ledger written; sending');
}

async function returnToDraft(ctx: AppContext, campaignId: number, reason: string): Promise<void> {
  const now = iso(ctx.clock.now());
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'draft', queued_at: null, started_by: null, paused_reason: `Not sent: ${reason}`, updated_at: now })
    .where('id', '=', campaignId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return;
  ctx.log.warn({ campaignId, reason }, 'campaign could not be compiled; back to draft');
  await ctx.audit.record({
    action: 'campaign.start_failed',
    actor: systemActor.email,
    subjectType: 'campaign',
    subjectId: String(campaignId),
    details: { reason },
  });
}
