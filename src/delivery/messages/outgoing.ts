/** One recipient's message, ready for the bulk transport: envelope and the finished MIME text. */
export interface OutgoingRaw {
  /** Envelope sender (Return-Path): the VERP address that maps a bounce back to this delivery. */
  envelopeFrom: string;
  /** Envelope and To: recipient. */
  to: string;
  /** The complete RFC 5322 message, CRLF line ends, ASCII only (non-ASCII is encoded). */
  raw: string;
  /** The Message-ID it carries, without angle brackets: the same for every attempt at this delivery. */
  messageId: string;
}

/** Who a message goes to: a ledger row joined with the address read just before sending. */
export interface MessageRecipient {
  subscriberId: string;
  email: string;
  /** The campaign topic the recipient qualified through: List-Id and the scoped unsubscribe link. */
  topicId: string;
}

/** The subscription topic ids of a campaign's audience (its `topic_ids` JSON column); [] when malformed. */
export function campaignTopicIds(campaign: { topic_ids: string }): string[] {
  try {
    const ids: unknown = JSON.parse(campaign.topic_ids);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
