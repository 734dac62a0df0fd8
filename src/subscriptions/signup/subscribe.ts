import { randomUUID } from 'node:crypto';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { ipHash } from '../keys.ts';
import { parseSubscriberEmail } from '../subscriber-email.ts';
import { listTopics } from '../topics.ts';
import { PROCESS_REQUESTS_JOB, PUBLIC_SIGNUP_SOURCES, type PublicSignupSource, USER_AGENT_MAX } from './signup-rules.ts';

export interface SubscribeInput {
  /** As typed. */
  email: string;
  /** Topic ids as posted: unknown and private ones are ignored. */
  topicIds: string[];
  /** The form's hidden field; anything but a known source counts as the subscribe page. */
  source?: string | undefined;
  ip: string;
  userAgent?: string | undefined;
}

export const CHOOSE_A_TOPIC = 'Choose at least one topic.';

/** The known source named, or the subscribe page. */
export function signupSource(value: string | undefined): PublicSignupSource {
  return PUBLIC_SIGNUP_SOURCES.find((source) => source === value) ?? 'subscribe-page';
}

/** The posted ids that are public topics, once each, in the topics' display order. */
export function chosenTopics(publicTopics: SubscriptionTopic[], postedIds: string[]): SubscriptionTopic[] {
  const posted = new Set(postedIds);
  return publicTopics.filter((topic) => posted.has(topic.id));
}

/**
 * A sign-up from the public form. The answer must not tell whether the address is already known,
 * in what it says nor in how long it takes, so this does the same work for every valid request:
 * it stores the request and queues the job, which then does everything that depends on the
 * address (looking it up, the suppression list, the confirmation e-mail). Nothing here reads a
 * subscriber or the suppression list.
 */
export async function subscribe(ctx: AppContext, input: SubscribeInput): Promise<void> {
  const parsed = parseSubscriberEmail(input.email);
  const topics = chosenTopics(await listTopics(ctx.db, { audience: 'public' }), input.topicIds);
  const errors: Record<string, string> = {};
  if (!parsed.ok) errors.email = parsed.message;
  if (topics.length === 0) errors.topics = CHOOSE_A_TOPIC;
  if (!parsed.ok || topics.length === 0) throw validation(errors);

  const now = iso(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('subscription_requests')
      .values({
        id: randomUUID(),
        email: parsed.email,
        topic_ids: JSON.stringify(topics.map((topic) => topic.id)),
        source: signupSource(input.source),
        ip_hash: ipHash(ctx.config.secret, input.ip),
        user_agent: input.userAgent ? input.userAgent.slice(0, USER_AGENT_MAX) : null,
        created_at: now,
        processed_at: null,
        token_hash: null,
        expires_at: null,
      })
      .execute();
    // One live job works through every waiting request; it is queued in the same transaction so a
    // request is never stored without a job to process it.
    await enqueueJob(trx, ctx.clock, { name: PROCESS_REQUESTS_JOB, uniqueKey: PROCESS_REQUESTS_JOB });
  });
}
