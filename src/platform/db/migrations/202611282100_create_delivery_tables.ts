import type { Kysely } from 'kysely';
import { timestamp, withSerialId } from './helpers.ts';

// Delivery (issue 5): campaigns (bulletins, monthly digests, event reminders), the per-recipient
// send ledger, and the bounces and complaints that come back.
//
// The ledger is the whole truth about a send. Starting a campaign writes one row per eligible
// recipient in the same transaction that flips the campaign to "sending"; a row becomes "sent" only
// after the SMTP server accepted its message; progress, ETA and "finished" are counted from rows,
// never from a worker's memory (the listmonk failure: a checkpoint moved on fetch, not on send).

export async function up(db: Kysely<any>): Promise<void> {
  await withSerialId(db, db.schema.createTable('delivery_campaigns'))
    // bulletin | digest | reminder
    .addColumn('kind', 'text', (c) => c.notNull())
    // What the campaign is about: article | issue (bulletin), event (reminder), month (digest).
    .addColumn('source_type', 'text', (c) => c.notNull())
    // The article, issue or event id; for a digest the month, "2026-10".
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // JSON array of subscription topic ids: whoever belongs to any of them (with the frequency below) is mailed.
    .addColumn('topic_ids', 'text', (c) => c.notNull())
    // every | digest: which members of those topics (subscriptions.frequency).
    .addColumn('audience_frequency', 'text', (c) => c.notNull())
    // draft | scheduled | queued | sending | paused | finished | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', timestamp)
    // Why the campaign is paused, in words for the publisher (set when it paused itself).
    .addColumn('paused_reason', 'text')
    // The message compiled once when the send starts (HTML from MJML, plain text), with the
    // per-recipient slots still in it; every worker and every restart sends exactly these bytes.
    .addColumn('compiled_html', 'text')
    .addColumn('compiled_text', 'text')
    // 1 when the sent bulletin appears on the public archive (/bulletins).
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(1))
    // Rows written when the send started; the progress denominator.
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('queued_at', timestamp)
    .addColumn('started_at', timestamp)
    .addColumn('finished_at', timestamp)
    .addColumn('cancelled_at', timestamp)
    .execute();
  await db.schema.createIndex('delivery_campaigns_status').on('delivery_campaigns').columns(['status', 'scheduled_for']).execute();
  // One automatic digest per month, however many schedulers fire.
  await db.schema
    .createIndex('delivery_campaigns_one_digest_per_month')
    .on('delivery_campaigns')
    .columns(['kind', 'source_id'])
    .unique()
    .where('kind', '=', 'digest')
    .execute();

  await db.schema
    .createTable('delivery_recipients')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('delivery_campaigns.id').onDelete('cascade'))
    // No foreign key: a subscriber who deletes themselves mid-send must not be blocked by the ledger;
    // the send-time check finds them gone and skips the row.
    .addColumn('subscriber_id', 'text', (c) => c.notNull())
    // The campaign topic through which this subscriber qualified: its List-Id and scoped unsubscribe link.
    .addColumn('topic_id', 'text', (c) => c.notNull())
    // pending | sending | sent | failed | skipped
    .addColumn('status', 'text', (c) => c.notNull())
    // pending: not before this time (retry backoff); sending: when the claim's lease runs out and
    // another worker may take the row back. One column, so one index range finds all claimable rows.
    .addColumn('due_at', timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // The worker holding the claim. Marking a row sent or failed requires still being its owner
    // (the fence): a worker whose lease was taken over cannot overwrite the new owner's result.
    .addColumn('lease_owner', 'text')
    .addColumn('sent_at', timestamp)
    // The last SMTP reply or reason for failing or skipping, for the report.
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('delivery_recipients_pk', ['campaign_id', 'subscriber_id'])
    .execute();
  await db.schema
    .createIndex('delivery_recipients_claimable')
    .on('delivery_recipients')
    .columns(['campaign_id', 'status', 'due_at'])
    .execute();

  await withSerialId(db, db.schema.createTable('delivery_bounces'))
    // Null when a report could not be tied to a delivery (kept for the operator, acted on by address).
    .addColumn('campaign_id', 'integer')
    .addColumn('subscriber_id', 'text')
    // hard | soft | complaint
    .addColumn('kind', 'text', (c) => c.notNull())
    // smtp (refused while sending) | mailbox (a DSN or ARF report read from the bounce mailbox) | webhook
    .addColumn('source', 'text', (c) => c.notNull())
    // RFC 3463 enhanced status ("5.1.1") when the report had one.
    .addColumn('status_code', 'text')
    // The server's words, shortened; never the whole report (it can quote the message).
    .addColumn('diagnostic', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('received_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('delivery_bounces_subscriber').on('delivery_bounces').columns(['subscriber_id', 'kind']).execute();
  await db.schema.createIndex('delivery_bounces_campaign').on('delivery_bounces').columns(['campaign_id', 'kind']).execute();
}
