import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SubscriberStatus } from '../../platform/db/schema.ts';

// The counts page trusts `subscription_counts` and `subscription_growth`, which only the database
// triggers write. This property test applies random sequences of the changes the features make
// (new subscribers, status changes, memberships added and removed, deletions, confirmation and
// unsubscribe times, several at once in one UPDATE) and checks after each sequence that:
// - the counts equal a fresh GROUP BY over subscribers and subscriptions (zero rows ignored), and
// - the growth table holds exactly the confirmations and unsubscribes the changes imply.

const STATUSES: SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed'];
const TOPICS = ['topic-a', 'topic-b', 'topic-c'];

/** A timestamp in one of four months, on one of a few days: the same month can be set twice with different times. */
const moment = fc
  .record({ month: fc.integer({ min: 1, max: 4 }), day: fc.integer({ min: 10, max: 12 }) })
  .map(({ month, day }) => `2026-0${month}-${day}T10:00:00.000Z`);
const maybeMoment = fc.option(moment, { nil: null });

type Op =
  | { kind: 'insert'; status: SubscriberStatus; confirmedAt: string | null; unsubscribedAt: string | null }
  | {
      kind: 'update';
      pick: number;
      status?: SubscriberStatus | undefined;
      confirmedAt?: string | null | undefined;
      unsubscribedAt?: string | null | undefined;
    }
  | { kind: 'join'; pick: number; topic: number }
  | { kind: 'leave'; pick: number; topic: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'moveAll'; from: SubscriberStatus; to: SubscriberStatus }
  | { kind: 'joinAll'; topic: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      status: fc.constantFrom(...STATUSES),
      confirmedAt: maybeMoment,
      unsubscribedAt: maybeMoment,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('update' as const),
        pick: fc.nat(),
        status: fc.constantFrom(...STATUSES),
        confirmedAt: maybeMoment,
        unsubscribedAt: maybeMoment,
      },
      // Any subset of the three columns changes in one statement, as the use-cases do.
      { requiredKeys: ['kind', 'pick'] },
    ),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('join' as const), pick: fc.nat(), topic: fc.nat({ max: TOPICS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), pick: fc.nat(), topic: fc.nat({ max: TOPICS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  // Many rows in one statement, as the CSV import writes: PostgreSQL's triggers work per statement.
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('moveAll' as const), from: fc.constantFrom(...STATUSES), to: fc.constantFrom(...STATUSES) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('joinAll' as const), topic: fc.nat({ max: TOPICS.length - 1 }) }) },
);

interface ModelSubscriber {
  id: string;
  status: SubscriberStatus;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  topics: Set<string>;
}

/** Applies the operations to the database and to a plain model; returns the growth the model expects. */
async function apply(db: Db, ops: Op[]): Promise<Map<string, { confirmed: number; unsubscribed: number }>> {
  const people: ModelSubscriber[] = [];
  const growth = new Map<string, { confirmed: number; unsubscribed: number }>();
  const count = (at: string, field: 'confirmed' | 'unsubscribed') => {
    const month = at.slice(0, 7);
    const entry = growth.get(month) ?? { confirmed: 0, unsubscribed: 0 };
    entry[field] += 1;
    growth.set(month, entry);
  };
  const now = '2026-05-01T00:00:00.000Z';
  for (const o of ops) {
    if (o.kind === 'insert') {
      const person = {
        id: randomUUID(),
        status: o.status,
        confirmedAt: o.confirmedAt,
        unsubscribedAt: o.unsubscribedAt,
        topics: new Set<string>(),
      };
      await db
        .insertInto('subscribers')
        .values({
          id: person.id,
          email: `${person.id}@example.gov`,
          status: person.status,
          consent_at: null,
          consent_source: 'test',
          confirmed_at: person.confirmedAt,
          unsubscribed_at: person.unsubscribedAt,
          created_at: now,
          updated_at: now,
        })
        .execute();
      people.push(person);
      // A new row counts its confirmation; an unsubscribe time it arrives with (an import of history) does not.
      if (person.confirmedAt) count(person.confirmedAt, 'confirmed');
      continue;
    }
    if (o.kind === 'moveAll') {
      await db.updateTable('subscribers').set({ status: o.to }).where('status', '=', o.from).execute();
      for (const person of people) if (person.status === o.from) person.status = o.to;
      continue;
    }
    if (o.kind === 'joinAll') {
      const topic = TOPICS[o.topic]!;
      const joining = people.filter((person) => !person.topics.has(topic));
      if (joining.length === 0) continue;
      await db
        .insertInto('subscriptions')
        .values(joining.map((person) => ({ subscriber_id: person.id, topic_id: topic, frequency: 'every' as const, created_at: now })))
        .execute();
      for (const person of joining) person.topics.add(topic);
      continue;
    }
    const person = people[o.pick % Math.max(1, people.length)];
    if (!person) continue;
    if (o.kind === 'update') {
      const set: { status?: SubscriberStatus; confirmed_at?: string | null; unsubscribed_at?: string | null } = {};
      if (o.status !== undefined) set.status = o.status;
      if (o.confirmedAt !== undefined) set.confirmed_at = o.confirmedAt;
      if (o.unsubscribedAt !== undefined) set.unsubscribed_at = o.unsubscribedAt;
      if (Object.keys(set).length === 0) continue;
      await db.updateTable('subscribers').set(set).where('id', '=', person.id).execute();
      if (o.confirmedAt !== undefined) {
        if (o.confirmedAt !== null && o.confirmedAt !== person.confirmedAt) count(o.confirmedAt, 'confirmed');
        person.confirmedAt = o.confirmedAt;
      }
      if (o.unsubscribedAt !== undefined) {
        if (o.unsubscribedAt !== null && o.unsubscribedAt !== person.unsubscribedAt) count(o.unsubscribedAt, 'unsubscribed');
        person.unsubscribedAt = o.unsubscribedAt;
      }
      if (o.status !== undefined) person.status = o.status;
    } else if (o.kind === 'join') {
      const topic = TOPICS[o.topic]!;
      if (person.topics.has(topic)) continue;
      await db
        .insertInto('subscriptions')
        .values({ subscriber_id: person.id, topic_id: topic, frequency: 'every', created_at: now })
        .execute();
      person.topics.add(topic);
    } else if (o.kind === 'leave') {
      const topic = TOPICS[o.topic]!;
      if (!person.topics.has(topic)) continue;
      await db.deleteFrom('subscriptions').where('subscriber_id', '=', person.id).where('topic_id', '=', topic).execute();
      person.topics.delete(topic);
    } else {
      // As "delete me" does: memberships first, then the row.
      await db.deleteFrom('subscriptions').where('subscriber_id', '=', person.id).execute();
      await db.deleteFrom('subscribers').where('id', '=', person.id).execute();
      people.splice(people.indexOf(person), 1);
    }
  }
  return growth;
}

type CountRow = { topic_id: string; status: string; subscribers: number };
const sorted = (rows: CountRow[]) =>
  rows
    .map((r) => ({ topic_id: r.topic_id, status: r.status, subscribers: Number(r.subscribers) }))
    .sort((a, b) => `${a.topic_id}|${a.status}`.localeCompare(`${b.topic_id}|${b.status}`));

/** The counts recomputed from scratch, the slow way the admin page must never take. */
async function freshCounts(db: Db): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    SELECT '' AS topic_id, status, COUNT(*) AS subscribers FROM subscribers GROUP BY status
    UNION ALL
    SELECT s.topic_id, p.status, COUNT(*) FROM subscriptions s JOIN subscribers p ON p.id = s.subscriber_id GROUP BY s.topic_id, p.status`.execute(
    db,
  );
  return sorted(rows);
}

async function reset(db: Db) {
  await db.deleteFrom('subscriptions').execute();
  await db.deleteFrom('subscribers').execute();
  // Only a test may write these two tables: it starts each run from nothing.
  await db.deleteFrom('subscription_counts').execute();
  await db.deleteFrom('subscription_growth').execute();
}

describeEachDatabase('subscription count triggers', ({ handle }) => {
  it('keep counts equal to a fresh GROUP BY, and growth equal to the confirmations and unsubscribes made', async () => {
    const { db } = handle();
    const now = '2026-01-01T00:00:00.000Z';
    for (const [position, id] of TOPICS.entries()) {
      await db
        .insertInto('subscription_topics')
        .values({ id, slug: id, name: id, frequency: 'monthly', visibility: 'public', position, created_at: now, updated_at: now })
        .execute();
    }
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        await reset(db);
        const expectedGrowth = await apply(db, ops);

        const kept = await db.selectFrom('subscription_counts').selectAll().execute();
        expect(
          kept.every((row) => Number(row.subscribers) >= 0),
          'no count goes below zero',
        ).toBe(true);
        expect(sorted(kept.filter((row) => Number(row.subscribers) !== 0))).toEqual(await freshCounts(db));

        const growth = await db.selectFrom('subscription_growth').selectAll().orderBy('month').execute();
        expect(
          growth
            .filter((row) => Number(row.confirmed) + Number(row.unsubscribed) > 0)
            .map((row) => [row.month, Number(row.confirmed), Number(row.unsubscribed)]),
        ).toEqual(
          [...expectedGrowth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, g]) => [month, g.confirmed, g.unsubscribed]),
        );
      }),
      { numRuns: 100 },
    );
  });
});
