import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { topicLabels } from '../../subscriptions/audience.ts';
import { subscriberLinks } from '../../subscriptions/keys.ts';
import { deliveryToken } from '../bounces/delivery-token.ts';
import { buildMessageTemplate, type PreparedMessages } from './message-template.ts';
import { campaignTopicIds } from './outgoing.ts';
import { publicSlotValues, slotMarkers } from './slots.ts';

/**
 * A campaign's message built once (headers, MIME structure, encoded parts) with slots for the few
 * things that differ per recipient (To, Message-ID, envelope sender, unsubscribe and preferences
 * links); `render` only splices those in, so a send costs string joins, not MIME building.
 */
export type { PreparedMessages } from './message-template.ts';

/** Builds the template from the campaign's compiled_html / compiled_text (set when the send started). */
export async function prepareMessages(ctx: AppContext, campaign: Campaign): Promise<PreparedMessages> {
  if (campaign.compiled_html === null || campaign.compiled_text === null) {
    throw new Error(`prepareMessages: campaign ${campaign.id} has not been compiled`);
  }
  const topicIds = campaignTopicIds(campaign);
  const [settings, labels] = await Promise.all([getSiteSettings(ctx.db), topicLabels(ctx.db, topicIds)]);
  const topics = new Map(topicIds.flatMap((id) => (labels.has(id) ? [[id, labels.get(id)!] as const] : [])));
  const { config } = ctx;
  return buildMessageTemplate({
    campaignId: campaign.id,
    kind: campaign.kind,
    subject: campaign.subject,
    html: campaign.compiled_html,
    text: campaign.compiled_text,
    markers: slotMarkers(config.secret, campaign.id),
    from: settings.bulletinFrom,
    topics,
    fallbackTopic: { slug: 'bulletins', name: settings.siteName },
    bounceAddress: config.delivery.bounceAddress,
    publicLinks: publicSlotValues(config.publicUrl),
    linksFor: (recipient) => subscriberLinks(config, recipient),
    tokenFor: (subscriberId) => deliveryToken(config.secret, { campaignId: campaign.id, subscriberId }),
    now: () => ctx.clock.now(),
  });
}
