import fc from 'fast-check';
import type { JSX } from 'preact';
import { describe, it } from 'vitest';
import type { Subscriber, SubscriberStatus, SubscriptionTopic } from '../../src/platform/db/schema.ts';
import { renderDocument } from '../../src/platform/http/render.ts';
import type { SubscriberSearch } from '../../src/subscriptions/admin/find-subscribers.ts';
import type { SubscriberRecord } from '../../src/subscriptions/admin/get-subscriber-record.ts';
import type { SubscriberOverview } from '../../src/subscriptions/admin/load-subscriber-overview.ts';
import { monthsEndingAt } from '../../src/subscriptions/admin/read-subscription-growth.ts';
import { SubscriberActionPage, SubscriberPage } from '../../src/subscriptions/admin/views/subscriber-page.tsx';
import { SubscribersPage } from '../../src/subscriptions/admin/views/subscribers-page.tsx';
import { TopicDeletePage, TopicFormPage, TopicListPage } from '../../src/subscriptions/admin/views/topic-pages.tsx';
import { context, expectNoInjectedMarkup, pick, type Sample, sample } from './markup.ts';
import { at, hostileSettings } from './rows.ts';

// The subscription admin pages: topic names and descriptions staff typed, and addresses, consent
// sources, user agents and history details that came from the public or from CSV imports.

/** The growth chart's own SVG elements (and the table footer) besides the HTML the templates write. */
const allow = ['svg', 'title', 'desc', 'defs', 'pattern', 'rect', 'g', 'text', 'line', 'tfoot'];

function checkTemplates(templates: Record<string, (s: Sample) => JSX.Element>, numRuns = 150) {
  for (const [name, render] of Object.entries(templates)) {
    it(name, () => {
      fc.assert(
        fc.property(sample, (s) => expectNoInjectedMarkup(renderDocument(render(s)), { allow })),
        { numRuns },
      );
    });
  }
}

const ctx = (s: Sample, path: string) => context(hostileSettings(s), s.name, path);
const statuses: SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed'];
const errors = (s: Sample, ...fields: string[]) =>
  pick(s, [{}, Object.fromEntries([...fields.map((f) => [f, s.other]), [s.text, s.summary]])], 16) as Record<string, string>;

function topic(s: Sample, overrides: Partial<SubscriptionTopic> = {}): SubscriptionTopic {
  return {
    id: s.slug,
    slug: pick(s, [s.slug, 'dispatch'], 4),
    name: s.name,
    description: s.summary,
    frequency: 'monthly',
    visibility: pick(s, ['public', 'private'], 2),
    position: 1,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}

function subscriber(s: Sample): Subscriber {
  return {
    id: '0b7c2f9e-3d1a-4c5b-8e6f-123456789abc',
    email: pick(s, [s.email, `${s.email}@xn--exmple-cua.gov`], 8),
    status: pick(s, statuses, 2),
    consent_at: pick(s, [at, null], 3),
    consent_source: s.other,
    consent_ip_hash: pick(s, [s.text, null], 5),
    consent_user_agent: pick(s, [s.title, null], 7),
    confirmed_at: pick(s, [at, null], 11),
    unsubscribed_at: pick(s, [null, at], 13),
    created_at: at,
    updated_at: at,
  };
}

const counts = (n: number) => ({ pending: n, active: n + 1, paused: 0, unsubscribed: 2, total: 2 * n + 3 });

function overview(s: Sample): SubscriberOverview {
  return {
    all: counts(10),
    topics: [
      { topic: topic(s), counts: counts(1) },
      { topic: topic(s, { id: s.text, name: s.title, visibility: 'private' }), counts: counts(2) },
    ],
    suppressed: { deleted: 1, hard_bounce: 0, complaint: 2, manual: 0, total: pick(s, [3, 0], 64) },
    growth: monthsEndingAt(new Date(at)).map((month, i) => ({ month, confirmed: i * 3, unsubscribed: i % 2 })),
  };
}

function search(s: Sample): SubscriberSearch | null {
  const match = { id: s.slug, email: s.email, status: pick(s, statuses), created_at: at };
  return pick(
    s,
    [
      null,
      { kind: 'address', query: s.email, email: s.email, matches: [match], startingWith: [], more: false },
      { kind: 'address', query: s.email, email: s.email, matches: [], startingWith: [match, match], more: true },
      { kind: 'prefix', query: s.text, prefix: s.text, matches: [match], more: false },
      { kind: 'prefix', query: s.text, prefix: s.text, matches: [], more: false },
      { kind: 'invalid', query: s.text, message: s.other },
    ],
    32,
  ) as SubscriberSearch | null;
}

function record(s: Sample): SubscriberRecord {
  const details = pick(
    s,
    [
      JSON.stringify({ topics: [s.slug, s.name], source: s.other, [s.text]: s.title, nested: { x: s.summary }, on: true, none: null }),
      s.summary,
      JSON.stringify(s.text),
      '{}',
    ],
    4,
  );
  return {
    subscriber: subscriber(s),
    memberships: [
      { topicId: s.slug, name: s.name, visibility: 'private', frequency: 'digest', since: at },
      { topicId: s.text, name: s.title, visibility: 'public', frequency: 'every', since: at },
    ],
    suppression: pick(s, [null, 'deleted', 'manual', 'complaint'], 16),
    history: {
      events: [
        { id: 2, at, kind: pick(s, ['topics_changed', s.other]), actor: pick(s, [`admin:${s.email}`, s.name, 'one-click'], 3), details },
        { id: 1, at, kind: 'requested', actor: 'subscriber', details: JSON.stringify({ source: s.other, userAgent: s.title }) },
      ],
      total: pick(s, [2, 120]),
      page: pick(s, [1, 2, 3], 5),
      pageCount: 3,
    },
  };
}

const topicForm = (s: Sample) => ({
  name: s.name,
  slug: s.slug,
  description: s.summary,
  frequency: pick(s, ['monthly', s.other]),
  visibility: pick(s, ['public', 'private', s.text], 3),
  position: s.text,
});

describe('subscription admin pages escape user-controlled text', () => {
  checkTemplates({
    'topic list': (s) =>
      TopicListPage({ ctx: ctx(s, '/admin/subscriptions/topics'), topics: overview(s).topics, notice: pick(s, [undefined, s.text]) }),
    'topic form (new)': (s) =>
      TopicFormPage({
        ctx: ctx(s, '/admin/subscriptions/topics/new'),
        topic: null,
        form: topicForm(s),
        errors: errors(s, 'name', 'slug', 'visibility'),
      }),
    'topic form (edit, Dispatch or not)': (s) =>
      TopicFormPage({
        ctx: ctx(s, '/admin/subscriptions/topics/x'),
        topic: topic(s),
        form: topicForm(s),
        errors: errors(s, 'slug', 'description', 'frequency', 'position'),
        notice: s.text,
      }),
    'topic delete (allowed or refused)': (s) =>
      TopicDeletePage({
        ctx: ctx(s, '/admin/subscriptions/topics/x/delete'),
        topic: topic(s),
        block: pick(s, [null, { reason: 'has-subscriptions' as const, memberships: 3, message: s.other }]),
      }),
    'subscribers overview with search and chart': (s) =>
      SubscribersPage({
        ctx: ctx(s, '/admin/subscribers'),
        overview: overview(s),
        query: s.text,
        search: search(s),
        notice: pick(s, [undefined, s.other]),
      }),
    'subscriber record and history': (s) =>
      SubscriberPage({ ctx: ctx(s, '/admin/subscribers/x'), record: record(s), notice: pick(s, [undefined, s.text]) }),
    'subscriber suppress and delete confirmations': (s) =>
      SubscriberActionPage({
        ctx: ctx(s, '/admin/subscribers/x/delete'),
        subscriber: subscriber(s),
        action: pick(s, ['suppress', 'delete'] as const),
      }),
  });
});
