import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStatus, SubscriptionTopic, TopicFrequency } from '../../src/platform/db/schema.ts';
import { preferencesLinkMail } from '../../src/subscriptions/preferences/preferences-link-mail.tsx';
import { LinkNotValidPage } from '../../src/subscriptions/preferences/views/link-not-valid-page.tsx';
import { type ManagePageNotice, ManagePreferencesPage } from '../../src/subscriptions/preferences/views/manage-page.tsx';
import {
  CheckEmailPage,
  PreferencesRequestPage,
  type RequestPageNotice,
  SignInLinkPage,
  SubscriberDeletedPage,
} from '../../src/subscriptions/preferences/views/request-link-pages.tsx';
import type { UnsubscribeTarget } from '../../src/subscriptions/unsubscribe/find-unsubscribe-target.ts';
import { UnsubscribedPage, UnsubscribePage } from '../../src/subscriptions/unsubscribe/views/unsubscribe-pages.tsx';
import { checkTemplates, context, expectNoInjectedMarkup, pick, type Sample, sample } from './markup.ts';
import { hostileSettings } from './rows.ts';

// The subscriber's own pages and mail (preferences, unsubscribe): the address, topic names and
// descriptions, private list names, consent source and the tokens in links are all shown back.

const AT = '2026-06-01T09:00:00.000Z';
const ctx = (s: Sample, path = '/preferences') => ({ ...context(hostileSettings(s), s.name, path), viewer: null });

function subscriber(s: Sample): Subscriber {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    email: s.email,
    status: pick<SubscriberStatus>(s, ['pending', 'active', 'paused', 'unsubscribed']),
    consent_at: AT,
    consent_source: s.text,
    consent_ip_hash: null,
    consent_user_agent: s.other,
    confirmed_at: pick(s, [AT, null], 4),
    unsubscribed_at: null,
    created_at: AT,
    updated_at: AT,
  };
}

function topic(s: Sample, id: string, name: string, description: string): SubscriptionTopic {
  return {
    id,
    slug: s.slug,
    name,
    description,
    frequency: pick<TopicFrequency>(s, ['as_published', 'weekly', 'monthly', 'quarterly'], 8),
    visibility: 'public',
    position: 0,
    created_at: AT,
    updated_at: AT,
  };
}

function target(s: Sample): UnsubscribeTarget {
  return {
    subscriberId: 'c0ffee00-0000-4000-8000-000000000001',
    topic: pick(s, [undefined, { id: 'c0ffee00-0000-4000-8000-000000000002', name: s.name }, { id: 'x', name: null }]),
    preferencesUrl: `https://dispatch.example.gov/preferences/open/${encodeURIComponent(s.slug)}`,
    alreadyUnsubscribed: pick(s, [false, true], 3),
  };
}

describe('subscriber preferences and unsubscribe pages escape user-controlled text', () => {
  checkTemplates({
    'preferences request page': (s) =>
      PreferencesRequestPage({
        ctx: ctx(s),
        email: s.email,
        errors: pick<Record<string, string>>(s, [{}, { email: s.text }]),
        notice: pick<RequestPageNotice | undefined>(s, [undefined, 'expired', 'signed-out']),
      }),
    'check your email page': (s) => CheckEmailPage({ ctx: ctx(s) }),
    'sign-in link page': (s) => SignInLinkPage({ ctx: ctx(s, '/preferences/sign-in/x'), token: s.slug }),
    'link not valid page': (s) => LinkNotValidPage({ ctx: ctx(s, '/preferences/open/x') }),
    'deleted page': (s) => SubscriberDeletedPage({ ctx: ctx(s, '/preferences/deleted') }),
    'manage page': (s) =>
      ManagePreferencesPage({
        ctx: ctx(s, '/preferences/manage'),
        view: {
          subscriber: subscriber(s),
          topics: [
            { topic: topic(s, s.slug, s.name, s.summary), subscribed: true, frequency: 'digest' },
            { topic: topic(s, 'c0ffee00-0000-4000-8000-000000000003', s.title, ''), subscribed: false, frequency: 'every' },
          ],
          privateTopicNames: [s.other, s.text],
        },
        access: pick(s, [{ kind: 'link', link: s.slug } as const, { kind: 'session', sessionToken: s.text } as const], 2),
        notice: pick<ManagePageNotice | undefined>(s, [undefined, 'saved', 'paused', 'resumed', 'unsubscribed'], 5),
        errors: pick<Record<string, string>>(s, [{}, { 'confirm-delete': s.title }], 7),
      }),
    'unsubscribe page': (s) => UnsubscribePage({ ctx: ctx(s, '/unsubscribe/x'), token: s.slug, target: target(s) }),
    "you're unsubscribed page": (s) =>
      UnsubscribedPage({ ctx: ctx(s, '/unsubscribe/x'), target: target(s), unsubscribedFromEverything: pick(s, [false, true], 5) }),
  });

  it('preferences link e-mail (HTML)', () => {
    fc.assert(
      fc.property(sample, (s) => {
        const mail = preferencesLinkMail({
          settings: hostileSettings(s),
          link: `https://dispatch.example.gov/preferences/sign-in/${encodeURIComponent(s.slug)}`,
          requestPageUrl: 'https://dispatch.example.gov/preferences',
        });
        // The mail has no scripts at all, so no nonce may match.
        expectNoInjectedMarkup(mail.html, { nonce: 'none' });
        expect(mail.html).not.toContain('<script');
      }),
      { numRuns: 150 },
    );
  });
});
