import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { createTestApp } from '../../../test/support/app.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { addMembership, insertSubscriber, topicIds } from '../../subscriptions/admin/test-support.ts';
import { type Audience, stillEligible } from '../../subscriptions/audience.ts';

// Helpers for the bounce tests (not a test file itself).

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * A report from fixtures/, with its placeholders filled: {{TOKEN}} (the delivery token of the
 * message that bounced), {{RECIPIENT}} and {{RECIPIENT_LOCAL}} (the address it was sent to).
 */
export function fixture(name: string, fill: { token?: string; recipient?: string } = {}): string {
  const recipient = fill.recipient ?? 'someone@county-mail.example';
  return readFileSync(path.join(fixtures, name), 'utf8')
    .replaceAll('{{TOKEN}}', fill.token ?? 'no-token-here')
    .replaceAll('{{RECIPIENT_LOCAL}}', recipient.split('@')[0] as string)
    .replaceAll('{{RECIPIENT}}', recipient);
}

/** The real application with delivery settings, closed when the test ends. */
export async function bounceTestApp(database: DatabaseHandle, options: { env?: Record<string, string>; clock?: Clock } = {}) {
  const test = await createTestApp(database, { clock: options.clock, env: { SOFT_BOUNCE_LIMIT: '3', ...options.env } });
  onTestFinished(() => test.app.close());
  const topics = await topicIds(test.ctx.db);
  const topicId = Object.values(topics)[0] as string;
  const audience: Audience = { topicIds: [topicId], frequency: 'every' };
  return {
    ...test,
    audience,
    /** An active subscriber of the audience's topic who gets every bulletin. */
    async subscriber(email: string): Promise<string> {
      const id = await insertSubscriber(test.ctx.db, { email, status: 'active', confirmedAt: '2026-01-05T09:10:00.000Z' });
      await addMembership(test.ctx.db, id, topicId, 'every');
      return id;
    },
    /** Whether the subscriber would still be mailed by a send to the audience. */
    async eligible(subscriberId: string): Promise<boolean> {
      return (await stillEligible(test.ctx.db, audience, [subscriberId])).has(subscriberId);
    },
    async bounceRows() {
      return test.ctx.db
        .selectFrom('delivery_bounces')
        .select(['campaign_id', 'subscriber_id', 'kind', 'source', 'status_code', 'diagnostic'])
        .orderBy('id')
        .execute();
    },
  };
}
