import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.ts';

// DKIM signing of bulk mail. nodemailer's transport-level `dkim` option signs every message the
// transport sends, `raw` messages included: the Mailer wraps the message stream of any mail,
// pre-built or not, in its DKIM signer before handing it to the SMTP pool. So messages are built
// unsigned (render() stays a string join) and the bulk transport passes these options to
// nodemailer.createTransport({ ..., dkim }).

/**
 * The fields the signature covers: nodemailer's defaults name neither Feedback-ID (Gmail reads it
 * only when signed) nor our delivery token. Every field a receiver uses to trust or sort the message
 * is listed; a field a message does not have is simply left out of h=.
 */
export const DKIM_SIGNED_FIELDS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'Feedback-ID',
  'X-Dispatch-Delivery',
].join(':');

/** The `dkim` option of nodemailer's createTransport. */
export interface DkimSigningOptions {
  domainName: string;
  keySelector: string;
  /** PEM text of an RSA private key. */
  privateKey: string;
  headerFieldNames: string;
}

const keys = new Map<string, string>();

/** The PEM key of `file`, read and checked once per process. */
function privateKeyOf(file: string): string {
  let pem = keys.get(file);
  if (pem === undefined) {
    pem = readFileSync(file, 'utf8');
    // Refuse a file that is not an RSA private key now, at start-up, rather than send unsigned mail.
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa')
      throw new Error(`DKIM_PRIVATE_KEY_FILE must hold an RSA private key (it holds ${key.asymmetricKeyType})`);
    keys.set(file, pem);
  }
  return pem;
}

/** nodemailer's DKIM options for bulk mail when DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE are set; undefined otherwise. */
export function dkimSigningOptions(config: Pick<Config, 'delivery'>): DkimSigningOptions | undefined {
  const dkim = config.delivery.dkim;
  if (!dkim) return undefined;
  return {
    domainName: dkim.domain,
    keySelector: dkim.selector,
    privateKey: privateKeyOf(dkim.privateKeyFile),
    headerFieldNames: DKIM_SIGNED_FIELDS,
  };
}
