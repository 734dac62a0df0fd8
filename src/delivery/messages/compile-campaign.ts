import mjml2html from 'mjml';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { getSiteSettings, type SiteSettings } from '../../platform/settings/site-settings.ts';
import { findArticle } from '../../publishing/site/find-article.ts';
import { findEvent } from '../../publishing/site/find-event.ts';
import { findIssue } from '../../publishing/site/find-issue.ts';
import { listMonthContents } from '../../publishing/site/list-month.ts';
import { topicLabels } from '../../subscriptions/audience.ts';
import { articleBulletin, type CampaignFrame, type CampaignSite, eventReminder, issueBulletin, monthlyDigest } from './campaign-content.ts';
import { type EmailDocument, emailMjml, emailText } from './email-layout.ts';
import { campaignTopicIds } from './outgoing.ts';
import { SLOT_NAMES, slotMarkers } from './slots.ts';

/** A campaign's content rendered once: MJML compiled to HTML, and the plain-text part, with slots. */
export interface CompiledCampaign {
  subject: string;
  html: string;
  text: string;
}

function campaignSite(ctx: Pick<AppContext, 'config'>, settings: SiteSettings): CampaignSite {
  const { siteName, tagline, agencyName, officeName, streetAddress, cityStateZip, opinionDisclaimer } = settings;
  return { publicUrl: ctx.config.publicUrl, siteName, tagline, agencyName, officeName, streetAddress, cityStateZip, opinionDisclaimer };
}

/** "A", "A or B", "A, B or C". */
const either = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/** Why a subscriber gets this campaign: the topics that make up its audience, and the digest choice. */
function reasonFor(campaign: Campaign, siteName: string, topicNames: string[]): string {
  const about = topicNames.length ? ` about ${either([...topicNames].sort((a, b) => a.localeCompare(b)))}` : '';
  const digest = campaign.audience_frequency === 'digest' ? ' and chose to get them as a monthly digest' : '';
  return `You receive this e-mail because you subscribed to e-mail updates from ${siteName}${about}${digest}.`;
}

async function documentFor(ctx: AppContext, campaign: Campaign, site: CampaignSite, frame: CampaignFrame): Promise<EmailDocument> {
  switch (campaign.source_type) {
    case 'article':
      return articleBulletin(await findArticle(ctx, { id: campaign.source_id }), site, frame);
    case 'issue':
      return issueBulletin(await findIssue(ctx, { id: campaign.source_id }), site, frame);
    case 'month':
      return monthlyDigest(await listMonthContents(ctx, { month: campaign.source_id }), site, frame);
    case 'event':
      return eventReminder(await findEvent(ctx, { id: campaign.source_id }), site, frame);
  }
}

/** Compiles MJML once; any validation error is a bug in the templates, not in the content (which is escaped). */
export async function compileMjml(source: string): Promise<string> {
  const result = await mjml2html(source, { validationLevel: 'strict', fonts: {}, keepComments: false });
  return result.html;
}

/**
 * Reads the campaign's source (article, issue, event or month) through publishing's published-only
 * queries and renders it: MJML compiled to HTML once, and the plain-text part. Both carry the
 * campaign's slot markers where each recipient's unsubscribe and preferences links go. Throws
 * NOT_FOUND when the source is gone or unpublished.
 */
export async function compileCampaign(ctx: AppContext, campaign: Campaign): Promise<CompiledCampaign> {
  const [settings, labels] = await Promise.all([getSiteSettings(ctx.db), topicLabels(ctx.db, campaignTopicIds(campaign))]);
  const site = campaignSite(ctx, settings);
  const frame = {
    subject: campaign.subject,
    reason: reasonFor(
      campaign,
      settings.siteName,
      [...labels.values()].map((t) => t.name),
    ),
  };
  const document = await documentFor(ctx, campaign, site, frame);
  const markers = slotMarkers(ctx.config.secret, campaign.id);
  const html = await compileMjml(emailMjml(document, site, markers));
  const text = emailText(document, site, markers);
  for (const name of SLOT_NAMES) {
    // The footer carries both links; a template change that lost one must fail here, not send without it.
    if (!html.includes(markers[name]) || !text.includes(markers[name])) throw new Error(`compileCampaign: the ${name} link is missing`);
  }
  return { subject: campaign.subject, html, text };
}
