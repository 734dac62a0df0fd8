import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { Browser, createStaff, createTestApp, csrfTokenIn } from '../../../test/support/app.ts';
import { totpBox } from '../../accounts/verify-second-factor.ts';
import { currentTotp } from '../../platform/auth/totp.ts';
import { FixedClock, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle, Db } from '../../platform/db/database.ts';
import type { DeliveryFrequency, RecipientStatus, StaffRole, SubscriberStatus } from '../../platform/db/schema.ts';

// Helpers for the campaign tests (not a test file itself).

/** The demo issue (content/demo): Volume 17, Issue 1, one article in it, and that article's event. */
export const DEMO = {
  articleSlug: 'x-chat-school-resource-officer-mou',
  eventSlug: 'rems-chat-with-an-expert-sro-mou-2024-01-22',
  eventStartsAt: '2024-01-22T16:00:00.000Z',
};

/** Two days after the demo issue came out and twelve before its event (2024-01-22 16:00 UTC). */
export const DEMO_NOW = new Date('2024-01-10T15:00:00.000Z');

/** The real application on a test database with a movable clock, closed when the test ends. */
export async function campaignTestApp(database: DatabaseHandle, options: { clock?: FixedClock; env?: Record<string, string> } = {}) {
  const clock = options.clock ?? new FixedClock(DEMO_NOW);
  const test = await createTestApp(database, { clock, env: options.env });
  onTestFinished(() => test.app.close());
  const ids = await demoIds(test.ctx.db);
  return { ...test, clock, ids };
}

/** The seeded demo rows' ids. */
export async function demoIds(db: Db) {
  const [issue, article, event] = await Promise.all([
    db.selectFrom('publishing_issues').select('id').where('volume', '=', 17).where('number', '=', 1).executeTakeFirstOrThrow(),
    db.selectFrom('publishing_articles').select('id').where('slug', '=', DEMO.articleSlug).executeTakeFirstOrThrow(),
    db.selectFrom('publishing_events').select('id').where('slug', '=', DEMO.eventSlug).executeTakeFirstOrThrow(),
  ]);
  return { issue: issue.id, article: article.id, event: event.id };
}

/** Subscription topic ids by slug. */
export async function topicIdsBySlug(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('subscription_topics').select(['id', 'slug']).execute();
  return Object.fromEntries(rows.map((row) => [row.slug, row.id]));
}

/** A subscriber with memberships, as sign-up or import leaves one. Returns its id. */
export async function addSubscriber(
  db: Db,
  options: { email: string; status?: SubscriberStatus; topics: { id: string; frequency?: DeliveryFrequency }[]; unsubscribedAt?: string },
): Promise<string> {
  const id = randomUUID();
  const at = '2024-01-02T10:00:00.000Z';
  await db
    .insertInto('subscribers')
    .values({
      id,
      email: options.email,
      status: options.status ?? 'active',
      consent_at: at,
      consent_source: 'test',
      consent_ip_hash: null,
      consent_user_agent: null,
      confirmed_at: options.status === 'pending' ? null : at,
      unsubscribed_at: options.unsubscribedAt ?? null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const topic of options.topics) {
    await db
      .insertInto('subscriptions')
      .values({ subscriber_id: id, topic_id: topic.id, frequency: topic.frequency ?? 'every', created_at: at })
      .execute();
  }
  return id;
}

/** A ledger row, as the engine leaves one. */
export async function addLedgerRow(db: Db, campaignId: number, subscriberId: string, topicId: string, status: RecipientStatus) {
  const at = iso(new Date('2024-01-10T15:00:00.000Z'));
  await db
    .insertInto('delivery_recipients')
    .values({
      campaign_id: campaignId,
      subscriber_id: subscriberId,
      topic_id: topicId,
      status,
      due_at: at,
      sent_at: status === 'sent' ? at : null,
      last_error: null,
    })
    .execute();
}

/**
 * A signed-in browser for a new staff member; with `secondFactor` the authenticator is enrolled in
 * the same session, as a person does it, which counts as the session's second factor.
 */
export async function signedIn(app: FastifyInstance, ctx: AppContext, role: StaffRole, options: { secondFactor: boolean }) {
  const staff = await createStaff(ctx, role);
  const browser = new Browser(app);
  const response = await browser.signIn(staff.email, staff.password);
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  if (options.secondFactor) {
    const enrolPage = await browser.get('/account/second-factor');
    const sealed = enrolPage.body.match(/name="enrolment" value="([^"]+)"/)?.[1] ?? '';
    const code = currentTotp(totpBox(ctx).open(sealed), ctx.clock.now());
    const enrolled = await browser.post('/account/second-factor', { _csrf: csrfTokenIn(enrolPage.body), enrolment: sealed, code });
    if (enrolled.statusCode !== 303) throw new Error(`enrolment failed with ${enrolled.statusCode}`);
  }
  return { browser, ...staff };
}
