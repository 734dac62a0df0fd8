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

// On PostgreSQL the triggers run once per statement over its transition tables. Per-row triggers
// would update the same few count rows once per inserted row, and inside one transaction (a CSV
// import) every update must walk the growing chain of row versions the earlier ones left: a
// 100,000-row import took minutes. Per statement, each (topic, status) or month is touched once.
async function createPostgresCountTriggers(db: Kysely<any>): Promise<void> {
  const addCounts = (select: string) => `INSERT INTO subscription_counts (topic_id, status, subscribers) ${select}
    ON CONFLICT (topic_id, status) DO UPDATE SET subscribers = subscription_counts.subscribers + excluded.subscribers;`;
  const addGrowth = (
    column: 'confirmed' | 'unsubscribed',
    select: string,
  ) => `INSERT INTO subscription_growth (month, confirmed, unsubscribed) ${select}
    ON CONFLICT (month) DO UPDATE SET ${column} = subscription_growth.${column} + excluded.${column};`;
  // Rows whose status changed in an UPDATE, before and after.
  const moved = 'FROM before_rows o JOIN after_rows n ON n.id = o.id WHERE o.status <> n.status';
  const triggers: { name: string; table: string; event: string; transition: string; body: string[] }[] = [
    {
      name: 'count_subscribers_inserted',
      table: 'subscribers',
      event: 'INSERT',
      transition: 'NEW TABLE AS inserted',
      body: [
        addCounts(`SELECT '', status, count(*) FROM inserted GROUP BY status`),
        addGrowth('confirmed', 'SELECT substr(confirmed_at, 1, 7), count(*), 0 FROM inserted WHERE confirmed_at IS NOT NULL GROUP BY 1'),
      ],
    },
    {
      name: 'count_subscribers_deleted',
      table: 'subscribers',
      event: 'DELETE',
      transition: 'OLD TABLE AS deleted',
      body: [addCounts(`SELECT '', status, -count(*) FROM deleted GROUP BY status`)],
    },
    {
      name: 'count_subscribers_updated',
      table: 'subscribers',
      event: 'UPDATE',
      transition: 'OLD TABLE AS before_rows NEW TABLE AS after_rows',
      // Leaving and arriving are separate statements: one upsert may not touch a key twice.
      body: [
        addCounts(`SELECT '', o.status, -count(*) ${moved} GROUP BY o.status`),
        addCounts(`SELECT '', n.status, count(*) ${moved} GROUP BY n.status`),
        addCounts(
          `SELECT m.topic_id, o.status, -count(*) FROM before_rows o JOIN after_rows n ON n.id = o.id
             JOIN subscriptions m ON m.subscriber_id = n.id WHERE o.status <> n.status GROUP BY m.topic_id, o.status`,
        ),
        addCounts(
          `SELECT m.topic_id, n.status, count(*) FROM before_rows o JOIN after_rows n ON n.id = o.id
             JOIN subscriptions m ON m.subscriber_id = n.id WHERE o.status <> n.status GROUP BY m.topic_id, n.status`,
        ),
        addGrowth(
          'confirmed',
          `SELECT substr(n.confirmed_at, 1, 7), count(*), 0 FROM before_rows o JOIN after_rows n ON n.id = o.id
             WHERE n.confirmed_at IS NOT NULL AND n.confirmed_at IS DISTINCT FROM o.confirmed_at GROUP BY 1`,
        ),
        addGrowth(
          'unsubscribed',
          `SELECT substr(n.unsubscribed_at, 1, 7), 0, count(*) FROM before_rows o JOIN after_rows n ON n.id = o.id
             WHERE n.unsubscribed_at IS NOT NULL AND n.unsubscribed_at IS DISTINCT FROM o.unsubscribed_at GROUP BY 1`,
        ),
      ],
    },
    {
      name: 'count_subscriptions_inserted',
      table: 'subscriptions',
      event: 'INSERT',
      transition: 'NEW TABLE AS inserted',
      body: [
        addCounts(
          'SELECT i.topic_id, s.status, count(*) FROM inserted i JOIN subscribers s ON s.id = i.subscriber_id GROUP BY i.topic_id, s.status',
        ),
      ],
    },
    {
      name: 'count_subscriptions_deleted',
      table: 'subscriptions',
      event: 'DELETE',
      transition: 'OLD TABLE AS deleted',
      body: [
        addCounts(
          'SELECT d.topic_id, s.status, -count(*) FROM deleted d JOIN subscribers s ON s.id = d.subscriber_id GROUP BY d.topic_id, s.status',
        ),
      ],
    },
  ];
  for (const trigger of triggers) {
    await sql
      .raw(`CREATE FUNCTION ${trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${trigger.body.join('\n')} RETURN NULL; END $$`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER ${trigger.name} AFTER ${trigger.event} ON ${trigger.table}
        REFERENCING ${trigger.transition} FOR EACH STATEMENT EXECUTE FUNCTION ${trigger.name}()`)
      .execute(db);
  }
}
