import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Config } from '../../config.ts';
import type { AppContext } from '../../platform/context.ts';
import { type BulkTransport, bulkPoolOptions, createBulkTransport } from '../../platform/mail/bulk-transport.ts';
import { dkimSigningOptions } from '../messages/dkim.ts';

/**
 * The SMTP pool settings of the configured bulk relay: BULK_SMTP_URL (or SMTP_URL) with one
 * connection per message in flight (DELIVERY_CONCURRENCY), DKIM-signing when a key is configured.
 * Undefined when neither URL is set and bulk mail goes into the dev mailbox.
 */
export function bulkTransportOptions(config: Config): SMTPPool.Options | undefined {
  const { bulkSmtpUrl, concurrency } = config.delivery;
  return bulkSmtpUrl ? bulkPoolOptions(bulkSmtpUrl, concurrency, dkimSigningOptions(config)) : undefined;
}

/** The bulk transport every sender of campaign mail uses (the worker, test sends): same relay, same signing. */
export function openBulkTransport(ctx: Pick<AppContext, 'config' | 'db' | 'clock'>, maxConnections: number): BulkTransport {
  return createBulkTransport({
    smtpUrl: ctx.config.delivery.bulkSmtpUrl,
    maxConnections,
    dkim: dkimSigningOptions(ctx.config),
    db: ctx.db,
    clock: ctx.clock,
  });
}
