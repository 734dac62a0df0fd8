import { simpleParser } from 'mailparser';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { compileCampaign } from '../messages/compile-campaign.ts';
import { prepareMessages } from '../messages/prepare-messages.ts';
import { getCampaign } from './campaign-queries.ts';

/** The address the preview's example links are made for; nothing is ever sent to it. */
export const PREVIEW_ADDRESS = 'subscriber@example.gov';

/**
 * The campaign with its message compiled: a started campaign keeps the bytes it is being sent
 * with; a draft or scheduled one is compiled now from its source, without storing anything (so a
 * preview or a test send never fixes the content before Send does).
 */
export async function withCompiledMessage(ctx: AppContext, campaign: Campaign): Promise<Campaign> {
  if (campaign.compiled_html !== null && campaign.compiled_text !== null) return campaign;
  const compiled = await compileCampaign(ctx, campaign);
  return { ...campaign, compiled_html: compiled.html, compiled_text: compiled.text };
}

export interface CampaignPreview {
  subject: string;
  html: string;
  text: string;
}

/**
 * The e-mail as a subscriber receives it, read back from the very MIME message the sender builds
 * (with example unsubscribe and preferences links), so the preview cannot drift from what is sent.
 */
export async function previewCampaign(ctx: AppContext, options: { campaignId: number }): Promise<CampaignPreview> {
  const campaign = await withCompiledMessage(ctx, await getCampaign(ctx, options.campaignId));
  const message = (await prepareMessages(ctx, campaign)).renderTest(PREVIEW_ADDRESS);
  const parsed = await simpleParser(message.raw);
  return {
    subject: campaign.subject,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
  };
}
