import { type SubscriberLinkSubject, subscriberLinks } from '../keys.ts';

/**
 * The RFC 2369 / RFC 8058 headers every subscription mail (bulletins, digests) carries: an https
 * unsubscribe link the mailbox provider may POST `List-Unsubscribe=One-Click` to, without cookies and
 * without a CSRF token; the signed token in the URL is the authentication. Give a topic to leave
 * just that topic. Transactional mail (confirmations, sign-in links) does not carry these.
 */
export function listUnsubscribeHeaders(
  config: { publicUrl: string; secret: string },
  subject: SubscriberLinkSubject,
): { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } {
  return {
    'List-Unsubscribe': `<${subscriberLinks(config, subject).unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
