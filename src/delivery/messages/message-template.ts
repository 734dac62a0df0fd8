import { randomUUID } from 'node:crypto';
import type { CampaignKind } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import { parseSubscriberEmail } from '../../subscriptions/subscriber-email.ts';
import { escapeHtml } from './markup.ts';
import { addressField, listIdField, parseMailbox, rfc5322Date, unstructuredField } from './mime-headers.ts';
import type { MessageRecipient, OutgoingRaw } from './outgoing.ts';
import { encodeQuotedPrintable, encodeQuotedPrintableSlot } from './quoted-printable.ts';
import { type SlotName, type SlotValues, splitAtSlots } from './slots.ts';

// One campaign's message as pre-encoded pieces. Everything that is the same for every recipient —
// From, Subject, the MIME structure, both quoted-printable bodies — is encoded here, once; what
// differs (To, Message-ID, envelope sender, List-Id and Feedback-ID of the recipient's topic, the
// two links) is spliced in by render(), which therefore costs string joins and the HMACs of the
// links and the delivery token.

export interface MessageTemplateInput {
  campaignId: number;
  kind: CampaignKind;
  subject: string;
  /** Compiled HTML and text with the campaign's slot markers. */
  html: string;
  text: string;
  markers: SlotValues;
  /** The bulletin sender setting, "Name <address>". */
  from: string;
  /** The campaign's subscription topics by id, in the campaign's order: List-Id and Feedback-ID (a test send uses the first). */
  topics: ReadonlyMap<string, { slug: string; name: string }>;
  /** For a recipient whose topic has since been deleted. */
  fallbackTopic: { slug: string; name: string };
  /** BOUNCE_ADDRESS, or undefined for bounces@<sender domain>. */
  bounceAddress: string | undefined;
  /** Links a copy not addressed to a subscriber carries (renderTest). */
  publicLinks: SlotValues;
  /** The recipient's signed links (subscriberLinks). */
  linksFor(recipient: { subscriberId: string; topicId: string }): SlotValues;
  /** The delivery token (deliveryToken). */
  tokenFor(subscriberId: string): string;
  now(): Date;
}

export interface PreparedMessages {
  render(recipient: MessageRecipient): OutgoingRaw;
  /** A test send to a staff address: same message, links that lead to the public pages, "[Test]" subject. */
  renderTest(email: string): OutgoingRaw;
}

/** A part's body: literal pieces already quoted-printable, and the slots between them. */
interface EncodedPart {
  pieces: string[];
  slots: SlotName[];
}

function encodePart(text: string, markers: SlotValues): EncodedPart {
  const { literals, slots } = splitAtSlots(text, markers);
  // Every piece but the last ends on a line boundary, so the spliced value starts a line of its own.
  const pieces = literals.map((literal, i) => encodeQuotedPrintable(literal, { softBreakAtEnd: i < literals.length - 1 }));
  return { pieces, slots };
}

function joinPart(part: EncodedPart, values: SlotValues): string {
  let out = part.pieces[0]!;
  for (let i = 0; i < part.slots.length; i++) out += values[part.slots[i]!] + part.pieces[i + 1]!;
  return out;
}

const HTML_SPECIAL = /[&<>"']/;
// An address that cannot break out of its header line: printable ASCII, one @, no angle brackets or spaces.
const SAFE_ADDRESS = /^[\x21-\x3b=?\x40-\x7e]+@[a-z0-9.-]+$/i;

function assertAddress(email: string): void {
  if (!SAFE_ADDRESS.test(email) || email.indexOf('@') !== email.lastIndexOf('@')) {
    throw new Error(`Refusing to build a message for an unusable address: ${JSON.stringify(email)}`);
  }
}

const slug = (value: string) => value.toLowerCase().replace(/[^a-z0-9-]+/g, '-');

/** Builds the campaign's message once; see PreparedMessages. */
export function buildMessageTemplate(input: MessageTemplateInput): PreparedMessages {
  const sender = parseMailbox(input.from, 'The bulletin sender');
  const bounce = parseMailbox(input.bounceAddress ?? `bounces@${sender.domain}`, 'BOUNCE_ADDRESS');
  const bounceAt = bounce.address.lastIndexOf('@');
  const bounceLocal = bounce.address.slice(0, bounceAt);
  const bounceAtDomain = bounce.address.slice(bounceAt);

  // "=_" never occurs in quoted-printable text ("=" always starts an escape or a soft break), so
  // this boundary cannot collide with a line of either part.
  const boundary = `=_dispatch-campaign-${input.campaignId}`;
  const fromField = addressField('From', sender);
  const subjectField = unstructuredField('Subject', input.subject);
  const testSubjectField = unstructuredField('Subject', `[Test] ${input.subject}`);
  const mimeFields = `MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n`;
  const partHeader = (type: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  const textHead = partHeader('text/plain');
  const htmlHead = `\r\n${partHeader('text/html')}`;
  const end = `\r\n--${boundary}--\r\n`;
  const text = encodePart(input.text, input.markers);
  const html = encodePart(input.html, input.markers);

  const topicFields = new Map<string, string>();
  const topicFieldsOf = (topicId: string) => {
    let fields = topicFields.get(topicId);
    if (fields === undefined) {
      const topic = input.topics.get(topicId) ?? input.fallbackTopic;
      fields =
        listIdField(topic.name, `${slug(topic.slug)}.${sender.domain}`) +
        `Feedback-ID: ${input.campaignId}:${slug(topic.slug)}:${input.kind}:dispatch\r\n`;
      topicFields.set(topicId, fields);
    }
    return fields;
  };
  const firstTopicId = input.topics.keys().next().value ?? '';

  let dateSecond = Number.NaN;
  let dateField = '';
  const dateFieldNow = () => {
    const second = Math.floor(input.now().getTime() / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateField = `Date: ${rfc5322Date(new Date(second * 1000))}\r\n`;
    }
    return dateField;
  };

  const bodies = (links: SlotValues) => {
    const textValues = {
      unsubscribeUrl: encodeQuotedPrintableSlot(links.unsubscribeUrl),
      preferencesUrl: encodeQuotedPrintableSlot(links.preferencesUrl),
    };
    // Dispatch's own links never need HTML escaping; the check keeps a publicUrl with "&" correct all the same.
    const htmlValues =
      HTML_SPECIAL.test(links.unsubscribeUrl) || HTML_SPECIAL.test(links.preferencesUrl)
        ? {
            unsubscribeUrl: encodeQuotedPrintableSlot(escapeHtml(links.unsubscribeUrl)),
            preferencesUrl: encodeQuotedPrintableSlot(escapeHtml(links.preferencesUrl)),
          }
        : textValues;
    return textHead + joinPart(text, textValues) + htmlHead + joinPart(html, htmlValues) + end;
  };

  return {
    render(recipient) {
      assertAddress(recipient.email);
      const token = input.tokenFor(recipient.subscriberId);
      const links = input.linksFor(recipient);
      const messageId = `${token}@${sender.domain}`;
      const raw =
        fromField +
        `To: ${recipient.email}\r\n` +
        subjectField +
        dateFieldNow() +
        `Message-ID: <${messageId}>\r\n` +
        mimeFields +
        topicFieldsOf(recipient.topicId) +
        `List-Unsubscribe: <${links.unsubscribeUrl}>\r\n` +
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n' +
        `X-Dispatch-Delivery: ${token}\r\n\r\n` +
        bodies(links);
      return { envelopeFrom: `${bounceLocal}+${token}${bounceAtDomain}`, to: recipient.email, raw, messageId };
    },

    renderTest(address) {
      const parsed = parseSubscriberEmail(address);
      if (!parsed.ok) throw validation({ email: parsed.message });
      const email = parsed.email;
      const messageId = `test-${randomUUID()}@${sender.domain}`;
      // No List-Unsubscribe-Post: the public page behind the link cannot honour a one-click POST.
      const raw =
        fromField +
        `To: ${email}\r\n` +
        testSubjectField +
        dateFieldNow() +
        `Message-ID: <${messageId}>\r\n` +
        mimeFields +
        topicFieldsOf(firstTopicId) +
        `List-Unsubscribe: <${input.publicLinks.unsubscribeUrl}>\r\n\r\n` +
        bodies(input.publicLinks);
      return { envelopeFrom: bounce.address, to: email, raw, messageId };
    },
  };
}
