import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

// Subscribers for the delivery benchmark, written set-based: each table gets one INSERT … SELECT
// over a generated sequence (a recursive CTE on SQLite, generate_series on PostgreSQL), so a
// million subscribers take seconds, not the minutes a row-at-a-time seed would. The count
// triggers on subscribers and subscriptions fire as they would for any insert.
//
// Exactly `eligible` subscribers are active members of the Dispatch topic who chose every
// bulletin: the audience of a bulletin for an issue. Another 5 % are members who must not be
// mailed (unconfirmed, unsubscribed, paused, or on the monthly digest), and some members also
// belong to other topics, so the ledger's INSERT … SELECT has to filter and group, as in life.

export interface SeededSubscribers {
  eligible: number;
  /** Every subscriber row written, eligible or not. */
  subscribers: number;
  memberships: number;
}

/** Subscriber ids are UUIDs (signed links carry their 16 bytes); these are the n-th of a fixed prefix. */
function idOf(dialect: 'sqlite' | 'postgres') {
  return dialect === 'sqlite'
    ? sql`printf('b0000000-0000-4000-8000-%012x', i)`
    : sql`'b0000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0')`;
}

function sequence(dialect: 'sqlite' | 'postgres', count: number) {
  const n = sql.lit(count);
  return dialect === 'sqlite'
    ? sql`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`
    : sql`WITH seq(i) AS (SELECT generate_series(1, ${n}))`;
}

export async function seedSubscribers(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  options: { eligible: number; at: string },
): Promise<SeededSubscribers> {
  const topic = async (slug: string) =>
    (await db.selectFrom('subscription_topics').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const [dispatch, events, grants] = [await topic('dispatch'), await topic('events'), await topic('grants')];
  const eligible = options.eligible;
  const total = eligible + Math.ceil(eligible / 20);
  const last = sql.lit(eligible);
  const at = sql.lit(options.at);
  // Past the eligible ones, in turn: unconfirmed, unsubscribed, paused, active on the digest.
  const extra = sql`(i - ${last}) % 4`;
  const status = sql`CASE WHEN i <= ${last} THEN 'active' WHEN ${extra} = 0 THEN 'pending' WHEN ${extra} = 1 THEN 'unsubscribed' WHEN ${extra} = 2 THEN 'paused' ELSE 'active' END`;
  const domain = sql`CASE i % 6 WHEN 0 THEN 'example.gov' WHEN 1 THEN 'pd.example.us' WHEN 2 THEN 'county.example.org'
    WHEN 3 THEN 'mail.example.com' WHEN 4 THEN 'schools.example.edu' ELSE 'sheriff.example.gov' END`;

  await db.transaction().execute(async (trx) => {
    await sql`${sequence(dialect, total)}
      INSERT INTO subscribers (id, email, status, consent_at, consent_source, consent_ip_hash, consent_user_agent,
        confirmed_at, unsubscribed_at, created_at, updated_at)
      SELECT ${idOf(dialect)}, 'reader' || i || '@' || ${domain}, ${status}, ${at}, 'benchmark seed', NULL, NULL,
        CASE WHEN i > ${last} AND ${extra} = 0 THEN NULL ELSE ${at} END,
        CASE WHEN i > ${last} AND ${extra} = 1 THEN ${at} ELSE NULL END,
        ${at}, ${at}
      FROM seq`.execute(trx);
    // Everyone is a Dispatch member; the active ones past the eligible take the digest.
    await sql`${sequence(dialect, total)}
      INSERT INTO subscriptions (subscriber_id, topic_id, frequency, created_at)
      SELECT ${idOf(dialect)}, ${dispatch}, CASE WHEN i > ${last} AND ${extra} = 3 THEN 'digest' ELSE 'every' END, ${at}
      FROM seq`.execute(trx);
    await sql`${sequence(dialect, total)}
      INSERT INTO subscriptions (subscriber_id, topic_id, frequency, created_at)
      SELECT ${idOf(dialect)}, ${events}, 'every', ${at} FROM seq WHERE i % 3 = 0`.execute(trx);
    await sql`${sequence(dialect, total)}
      INSERT INTO subscriptions (subscriber_id, topic_id, frequency, created_at)
      SELECT ${idOf(dialect)}, ${grants}, 'digest', ${at} FROM seq WHERE i % 5 = 0`.execute(trx);
  });
  if (dialect === 'postgres') await sql`ANALYZE`.execute(db);
  return { eligible, subscribers: total, memberships: total + Math.floor(total / 3) + Math.floor(total / 5) };
}
