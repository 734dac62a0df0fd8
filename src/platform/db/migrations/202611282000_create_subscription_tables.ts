import { type Kysely, sql } from 'kysely';
import { isPostgres, timestamp, withSerialId } from './helpers.ts';

// E-mail subscriptions: topics, subscribers and their topic memberships, pending sign-up requests
// (which are also the double opt-in confirmations), short-lived preference links, each
// subscriber's history, and the keyed-hash suppression list that outlives a deleted address.
//
// The subscriber row is deliberately small (issue 4, "data minimisation"): e-mail, status, consent
// evidence and timestamps. Names, raw IP addresses and open/click tracking have no column here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscription_topics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // How often the topic sends: as_published | weekly | monthly | quarterly.
    .addColumn('frequency', 'text', (c) => c.notNull())
    // public | private. Private topics are never listed to the public nor changed by a public form.
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Lower-cased, domain in its ASCII (punycode) form: one row per mailbox however it was typed.
    .addColumn('email', 'text', (c) => c.notNull().unique())
    // pending | active | paused | unsubscribed
    .addColumn('status', 'text', (c) => c.notNull())
    // Consent evidence: when and where the person asked, from which (hashed) address and browser.
    .addColumn('consent_at', timestamp)
    .addColumn('consent_source', 'text', (c) => c.notNull())
    .addColumn('consent_ip_hash', 'text')
    .addColumn('consent_user_agent', 'text')
    .addColumn('confirmed_at', timestamp)
    .addColumn('unsubscribed_at', timestamp)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscriptions')
    // No cascade: a subscriber's memberships are removed explicitly first, so the count triggers see them go.
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('subscription_topics.id'))
    // every | digest: each bulletin as it goes out, or the monthly digest.
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['subscriber_id', 'topic_id'])
    .execute();
  // Delivery walks a topic's members in subscriber order.
  await db.schema.createIndex('subscriptions_topic').on('subscriptions').columns(['topic_id', 'subscriber_id']).execute();

  await db.schema
    .createTable('subscription_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    // JSON array of topic ids the person asked for.
    .addColumn('topic_ids', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ip_hash', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    // Set by the job that looked the address up and, where appropriate, mailed the confirmation.
    .addColumn('processed_at', timestamp)
    // SHA-256 of the confirmation link's token; null until mailed.
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('expires_at', timestamp)
    .execute();
  await db.schema
    .createIndex('subscription_requests_unprocessed')
    .on('subscription_requests')
    .columns(['processed_at', 'created_at'])
    .execute();
  await db.schema.createIndex('subscription_requests_email').on('subscription_requests').column('email').execute();

  await db.schema
    .createTable('subscriber_access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    // sign_in: the single-use link mailed from /preferences; session: the cookie it is exchanged for.
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .execute();
  await db.schema.createIndex('subscriber_access_tokens_subscriber').on('subscriber_access_tokens').column('subscriber_id').execute();

  await withSerialId(db, db.schema.createTable('subscriber_events'))
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('at', timestamp, (c) => c.notNull())
    // requested | confirmed | imported | topics_changed | paused | resumed | unsubscribed | exported | …
    .addColumn('kind', 'text', (c) => c.notNull())
    // Who did it: subscriber | one-click | admin:<email> | import | system
    .addColumn('actor', 'text', (c) => c.notNull())
    // JSON with topic slugs and the like; never an IP address.
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('subscriber_events_subscriber').on('subscriber_events').columns(['subscriber_id', 'id']).execute();

  await db.schema
    .createTable('subscriber_suppressions')
    // HMAC-SHA256 of the normalised address under a key derived from DISPATCH_SECRET.
    .addColumn('email_hash', 'text', (c) => c.primaryKey())
    // deleted | hard_bounce | complaint | manual
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  // Counts per (topic, subscriber status), kept by triggers so the admin counts page reads a few
  // rows instead of grouping a million. topic_id '' holds the totals over all subscribers.
  await db.schema
    .createTable('subscription_counts')
    .addColumn('topic_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('subscribers', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_counts_pk', ['topic_id', 'status'])
    .execute();

  // Confirmations and unsubscribes per calendar month ("2026-11"), for the growth chart.
  await db.schema
    .createTable('subscription_growth')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('confirmed', 'integer', (c) => c.notNull())
    .addColumn('unsubscribed', 'integer', (c) => c.notNull())
    .execute();

  if (isPostgres(db)) await createPostgresCountTriggers(db);
  else await createSqliteCountTriggers(db);
}

// Both engines' triggers follow the same rules:
// - a subscriber row counts once under ('', status);
// - a membership counts once under (topic_id, its subscriber's status);
// - a status change moves the subscriber and each of its memberships from the old status to the new;
// - a confirmed_at or unsubscribed_at that is set or moves counts once in that month.

async function createSqliteCountTriggers(db: Kysely<any>): Promise<void> {
  const bump = (topic: string, status: string, by: string) =>
    `INSERT INTO subscription_counts (topic_id, status, subscribers) SELECT ${topic}, ${status}, ${by} WHERE true
       ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscribers + excluded.subscribers;`;
  const growth = (column: 'confirmed' | 'unsubscribed', at: string) =>
    `INSERT INTO subscription_growth (month, confirmed, unsubscribed)
       SELECT substr(${at}, 1, 7), ${column === 'confirmed' ? 1 : 0}, ${column === 'unsubscribed' ? 1 : 0} WHERE true
       ON CONFLICT (month) DO UPDATE SET ${column} = ${column} + 1;`;
  const statements = [
    `CREATE TRIGGER subscribers_counted_on_insert AFTER INSERT ON subscribers BEGIN
       ${bump("''", 'NEW.status', '1')}
     END`,
    `CREATE TRIGGER subscribers_counted_on_delete AFTER DELETE ON subscribers BEGIN
       ${bump("''", 'OLD.status', '-1')}
     END`,
    `CREATE TRIGGER subscribers_counted_on_status AFTER UPDATE OF status ON subscribers WHEN OLD.status <> NEW.status BEGIN
       ${bump("''", 'OLD.status', '-1')}
       ${bump("''", 'NEW.status', '1')}
       INSERT INTO subscription_counts (topic_id, status, subscribers)
         SELECT topic_id, OLD.status, -1 FROM subscriptions WHERE subscriber_id = NEW.id
         ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscribers - 1;
       INSERT INTO subscription_counts (topic_id, status, subscribers)
         SELECT topic_id, NEW.status, 1 FROM subscriptions WHERE subscriber_id = NEW.id
         ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscribers + 1;
     END`,
    `CREATE TRIGGER subscriptions_counted_on_insert AFTER INSERT ON subscriptions BEGIN
       INSERT INTO subscription_counts (topic_id, status, subscribers)
         SELECT NEW.topic_id, status, 1 FROM subscribers WHERE id = NEW.subscriber_id
         ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscribers + 1;
     END`,
    `CREATE TRIGGER subscriptions_counted_on_delete AFTER DELETE ON subscriptions BEGIN
       INSERT INTO subscription_counts (topic_id, status, subscribers)
         SELECT OLD.topic_id, status, -1 FROM subscribers WHERE id = OLD.subscriber_id
         ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscribers - 1;
     END`,
    `CREATE TRIGGER subscribers_growth_on_insert AFTER INSERT ON subscribers WHEN NEW.confirmed_at IS NOT NULL BEGIN
       ${growth('confirmed', 'NEW.confirmed_at')}
     END`,
    `CREATE TRIGGER subscribers_growth_on_confirm AFTER UPDATE OF confirmed_at ON subscribers
       WHEN NEW.confirmed_at IS NOT NULL AND (OLD.confirmed_at IS NULL OR OLD.confirmed_at <> NEW.confirmed_at) BEGIN
       ${growth('confirmed', 'NEW.confirmed_at')}
     END`,
    `CREATE TRIGGER subscribers_growth_on_unsubscribe AFTER UPDATE OF unsubscribed_at ON subscribers
       WHEN NEW.unsubscribed_at IS NOT NULL AND (OLD.unsubscribed_at IS NULL OR OLD.unsubscribed_at <> NEW.unsubscribed_at) BEGIN
       ${growth('unsubscribed', 'NEW.unsubscribed_at')}
     END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function createPostgresCountTriggers(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION bump_subscription_count(topic text, subscriber_status text, delta integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO subscription_counts (topic_id, status, subscribers) VALUES (topic, subscriber_status, delta)
    ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscription_counts.subscribers + excluded.subscribers $$`.execute(db);
  await sql`CREATE FUNCTION bump_subscription_growth(at text, confirmed integer, unsubscribed integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO subscription_growth (month, confirmed, unsubscribed) VALUES (substr(at, 1, 7), confirmed, unsubscribed)
    ON CONFLICT (month) DO UPDATE SET confirmed = subscription_growth.confirmed + excluded.confirmed,
      unsubscribed = subscription_growth.unsubscribed + excluded.unsubscribed $$`.execute(db);

  await sql`CREATE FUNCTION count_subscriber_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE membership record;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM bump_subscription_count('', NEW.status, 1);
        IF NEW.confirmed_at IS NOT NULL THEN PERFORM bump_subscription_growth(NEW.confirmed_at, 1, 0); END IF;
        RETURN NULL;
      END IF;
      IF TG_OP = 'DELETE' THEN
        PERFORM bump_subscription_count('', OLD.status, -1);
        RETURN NULL;
      END IF;
      IF OLD.status <> NEW.status THEN
        PERFORM bump_subscription_count('', OLD.status, -1);
        PERFORM bump_subscription_count('', NEW.status, 1);
        FOR membership IN SELECT topic_id FROM subscriptions WHERE subscriber_id = NEW.id LOOP
          PERFORM bump_subscription_count(membership.topic_id, OLD.status, -1);
          PERFORM bump_subscription_count(membership.topic_id, NEW.status, 1);
        END LOOP;
      END IF;
      IF NEW.confirmed_at IS NOT NULL AND NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at THEN
        PERFORM bump_subscription_growth(NEW.confirmed_at, 1, 0);
      END IF;
      IF NEW.unsubscribed_at IS NOT NULL AND NEW.unsubscribed_at IS DISTINCT FROM OLD.unsubscribed_at THEN
        PERFORM bump_subscription_growth(NEW.unsubscribed_at, 0, 1);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER subscribers_counted AFTER INSERT OR UPDATE OR DELETE ON subscribers
    FOR EACH ROW EXECUTE FUNCTION count_subscriber_change()`.execute(db);

  await sql`CREATE FUNCTION count_subscription_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE subscriber_status text;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT status INTO subscriber_status FROM subscribers WHERE id = NEW.subscriber_id;
        PERFORM bump_subscription_count(NEW.topic_id, subscriber_status, 1);
      ELSE
        SELECT status INTO subscriber_status FROM subscribers WHERE id = OLD.subscriber_id;
        PERFORM bump_subscription_count(OLD.topic_id, subscriber_status, -1);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER subscriptions_counted AFTER INSERT OR DELETE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION count_subscription_change()`.execute(db);
}
