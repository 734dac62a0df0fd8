import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { Browser, createStaff, createTestApp, csrfTokenIn } from '../../../test/support/app.ts';
import { totpBox } from '../../accounts/verify-second-factor.ts';
import { currentTotp } from '../../platform/auth/totp.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle, Db } from '../../platform/db/database.ts';
import type { DeliveryFrequency, StaffRole, SubscriberStatus } from '../../platform/db/schema.ts';

// Helpers for the subscription admin tests (not a test file itself).

/** The real application on a test database, closed when the test ends. */
export async function adminTestApp(database: DatabaseHandle, options: { clock?: Clock; env?: Record<string, string> } = {}) {
  const test = await createTestApp(database, options);
  onTestFinished(() => test.app.close());
  return test;
}

/**
 * A signed-in browser for a new staff member. Publishers and administrators enrol an authenticator
 * in the same session, as a person would, which counts as their second factor.
 */
export async function signedIn(app: FastifyInstance, ctx: AppContext, role: StaffRole) {
  const staff = await createStaff(ctx, role);
  const browser = new Browser(app);
  const response = await browser.signIn(staff.email, staff.password);
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`);
  if (role !== 'editor') {
    const enrolPage = await browser.get('/account/second-factor');
    const sealed = enrolPage.body.match(/name="enrolment" value="([^"]+)"/)?.[1] ?? '';
    const code = currentTotp(totpBox(ctx).open(sealed), ctx.clock.now());
    const enrolled = await browser.post('/account/second-factor', { _csrf: csrfTokenIn(enrolPage.body), enrolment: sealed, code });
    if (enrolled.statusCode !== 303) throw new Error(`enrolment failed with ${enrolled.statusCode}`);
  }
  return { browser, ...staff };
}

export interface SubscriberFixture {
  email: string;
  status?: SubscriberStatus;
  consentAt?: string | null;
  consentSource?: string;
  consentIpHash?: string | null;
  consentUserAgent?: string | null;
  confirmedAt?: string | null;
  unsubscribedAt?: string | null;
  createdAt?: string;
}

/** Inserts a subscriber row as the sign-up or import features would leave it. Returns its id. */
export async function insertSubscriber(db: Db, fixture: SubscriberFixture): Promise<string> {
  const id = randomUUID();
  const at = fixture.createdAt ?? '2026-01-05T09:00:00.000Z';
  await db
    .insertInto('subscribers')
    .values({
      id,
      email: fixture.email,
      status: fixture.status ?? 'active',
      consent_at: fixture.consentAt === undefined ? at : fixture.consentAt,
      consent_source: fixture.consentSource ?? 'subscribe-page',
      consent_ip_hash: fixture.consentIpHash ?? null,
      consent_user_agent: fixture.consentUserAgent ?? null,
      confirmed_at: fixture.confirmedAt ?? null,
      unsubscribed_at: fixture.unsubscribedAt ?? null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

export async function addMembership(db: Db, subscriberId: string, topicId: string, frequency: DeliveryFrequency = 'every') {
  await db
    .insertInto('subscriptions')
    .values({ subscriber_id: subscriberId, topic_id: topicId, frequency, created_at: iso(new Date('2026-01-05T09:00:00.000Z')) })
    .execute();
}

/** The seeded topics by slug. */
export async function topicIds(db: Db): Promise<Record<string, string>> {
  const rows = await db.selectFrom('subscription_topics').select(['id', 'slug']).execute();
  return Object.fromEntries(rows.map((row) => [row.slug, row.id]));
}

/** The text of the page's <main>, tags removed and whitespace collapsed, for readable assertions. */
export function mainText(html: string): string {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
