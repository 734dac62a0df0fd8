import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { SubscriptionTopic, TopicFrequency } from '../../src/platform/db/schema.ts';
import { confirmationEmail } from '../../src/subscriptions/signup/confirmation-email.tsx';
import { PUBLIC_SIGNUP_SOURCES } from '../../src/subscriptions/signup/signup-rules.ts';
import {
  CheckEmailPage,
  ConfirmedPage,
  ConfirmPage,
  InvalidLinkPage,
  SubscribePage,
} from '../../src/subscriptions/signup/views/signup-pages.tsx';
import { checkTemplates, context, expectNoInjectedMarkup, pick, type Sample, sample } from './markup.ts';
import { hostileSettings } from './rows.ts';

// The sign-up pages and the confirmation e-mail, given hostile addresses, topic names and
// descriptions (staff type those), error messages and site settings.

const ctx = (s: Sample, path = '/subscribe') => ({ ...context(hostileSettings(s), s.name, path), viewer: null });

const frequencies: TopicFrequency[] = ['as_published', 'weekly', 'monthly', 'quarterly'];

function topic(s: Sample, id: string, overrides: Partial<SubscriptionTopic> = {}): SubscriptionTopic {
  return {
    id,
    slug: s.slug,
    name: s.name,
    description: s.summary,
    frequency: pick(s, frequencies, 3),
    visibility: 'public',
    position: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const topics = (s: Sample) => [
  topic(s, 't1'),
  topic(s, s.other, { name: s.title, description: pick(s, ['', s.text], 5), frequency: 'monthly' }),
  topic(s, 't3', { name: s.email, description: s.other }),
];

describe('sign-up pages escape user-controlled text', () => {
  checkTemplates({
    'subscribe page': (s) =>
      SubscribePage({
        ctx: ctx(s),
        topics: topics(s),
        values: { email: s.email, topicIds: pick(s, [[], ['t1'], [s.other, 't3']]), source: pick(s, [...PUBLIC_SIGNUP_SOURCES], 7) },
        errors: pick<Record<string, string>>(s, [{}, { email: s.text }, { email: s.title, topics: s.other }], 11),
      }),
    'check your email page': (s) => CheckEmailPage({ ctx: ctx(s), email: s.email }),
    'confirm page': (s) =>
      ConfirmPage({ ctx: ctx(s, '/subscribe/confirm/x'), token: s.slug, email: s.email, topics: pick(s, [topics(s), []]) }),
    'confirmed page': (s) =>
      ConfirmedPage({
        ctx: ctx(s, '/subscribe/confirm/x'),
        email: s.email,
        topics: pick(s, [topics(s), []]),
        preferencesUrl: `https://dispatch.example.gov/preferences/open/${encodeURIComponent(s.slug)}`,
      }),
    'invalid link page': (s) => InvalidLinkPage({ ctx: ctx(s, '/subscribe/confirm/x') }),
  });
});

describe('the confirmation e-mail escapes user-controlled text', () => {
  it('in its HTML part', () => {
    fc.assert(
      fc.property(sample, (s) => {
        const mail = confirmationEmail({
          email: s.email,
          topics: topics(s),
          link: `https://dispatch.example.gov/subscribe/confirm/${encodeURIComponent(s.slug)}`,
          settings: hostileSettings(s),
        });
        expectNoInjectedMarkup(mail.html);
        if (/[\r\n]/.test(mail.subject)) throw new Error(`a line break in the subject: ${JSON.stringify(mail.subject)}`);
      }),
      { numRuns: 300 },
    );
  });
});
