import { createHmac } from 'node:crypto';
import { escapeHtml } from './markup.ts';

// A campaign's HTML and text are compiled once, with a marker wherever a per-recipient link goes.
// The markers carry a value derived from DISPATCH_SECRET and the campaign id, so no text an author
// writes can contain one (an article that quoted a marker would otherwise get a reader's own
// unsubscribe link spliced into it), and they use only letters, digits and hyphens, which MJML,
// HTML attributes and quoted-printable all leave untouched.

export const SLOT_NAMES = ['unsubscribeUrl', 'preferencesUrl'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];
export type SlotValues = Record<SlotName, string>;

const suffix: Record<SlotName, string> = { unsubscribeUrl: 'unsubscribe-url', preferencesUrl: 'preferences-url' };

/** The markers of one campaign's compiled message. */
export function slotMarkers(secret: string, campaignId: number): SlotValues {
  const key = createHmac('sha256', secret).update(`dispatch-delivery-slot\u0000${campaignId}`).digest('hex').slice(0, 24);
  return {
    unsubscribeUrl: `dispatch-slot-${key}-${suffix.unsubscribeUrl}`,
    preferencesUrl: `dispatch-slot-${key}-${suffix.preferencesUrl}`,
  };
}

/** A compiled part cut at its markers: literals.length === slots.length + 1. */
export interface SlottedText {
  literals: string[];
  slots: SlotName[];
}

/** Cuts `text` at every marker of `markers`. */
export function splitAtSlots(text: string, markers: SlotValues): SlottedText {
  const byMarker = new Map<string, SlotName>(SLOT_NAMES.map((name) => [markers[name], name]));
  const pattern = new RegExp(SLOT_NAMES.map((name) => markers[name]).join('|'), 'g');
  const literals: string[] = [];
  const slots: SlotName[] = [];
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    literals.push(text.slice(from, match.index));
    slots.push(byMarker.get(match[0])!);
    from = match.index + match[0].length;
  }
  literals.push(text.slice(from));
  return { literals, slots };
}

/** Every marker replaced by its value; `html` escapes the values for an attribute. */
export function fillSlots(text: string, markers: SlotValues, values: SlotValues, options: { html: boolean }): string {
  const { literals, slots } = splitAtSlots(text, markers);
  let out = literals[0]!;
  slots.forEach((slot, i) => {
    out += (options.html ? escapeHtml(values[slot]) : values[slot]) + literals[i + 1]!;
  });
  return out;
}

/**
 * The links a copy that is not addressed to one subscriber carries (the public archive, a test
 * send, the admin preview): anyone can unsubscribe or change topics from /preferences by asking
 * for a link by e-mail there.
 */
export function publicSlotValues(publicUrl: string): SlotValues {
  return { unsubscribeUrl: `${publicUrl}/preferences`, preferencesUrl: `${publicUrl}/preferences` };
}
