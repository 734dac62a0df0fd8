import fc from 'fast-check';
import type { JSX } from 'preact';
import { describe, it } from 'vitest';
import { CampaignListPage } from '../../src/delivery/admin/views/campaign-list-page.tsx';
import { CampaignPage } from '../../src/delivery/admin/views/campaign-page.tsx';
import { CampaignConflictPage, CancelConfirmPage, SendConfirmPage } from '../../src/delivery/admin/views/confirm-pages.tsx';
import { CampaignReportPage } from '../../src/delivery/admin/views/report-page.tsx';
import type { CampaignListing } from '../../src/delivery/campaigns/campaign-queries.ts';
import type { CampaignReport } from '../../src/delivery/campaigns/campaign-report.ts';
import type { SourceOptions } from '../../src/delivery/campaigns/campaign-sources.ts';
import { describeProgress } from '../../src/delivery/campaigns/progress-text.ts';
import type { Campaign, CampaignStatus, SubscriptionTopic } from '../../src/platform/db/schema.ts';
import { renderDocument } from '../../src/platform/http/render.ts';
import { context, expectNoInjectedMarkup, pick, type Sample, sample } from './markup.ts';
import { at, hostileSettings } from './rows.ts';

// The campaign admin pages: subjects publishers typed, titles of articles, issues and events,
// topic names, the engine's last errors (SMTP replies from other servers) and a paused reason.

/** The progress bar and the bulletin form's option groups are the templates' own. */
const allow = ['progress', 'optgroup'];

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
const statuses: CampaignStatus[] = ['draft', 'scheduled', 'queued', 'sending', 'paused', 'finished', 'cancelled'];

function topics(s: Sample): SubscriptionTopic[] {
  const topic = (id: string, name: string, visibility: 'public' | 'private'): SubscriptionTopic => ({
    id,
    slug: s.slug,
    name,
    description: s.summary,
    frequency: 'monthly',
    visibility,
    position: 0,
    created_at: at,
    updated_at: at,
  });
  return [topic(s.slug, s.name, 'public'), topic(s.text, s.title, 'private')];
}

function campaign(s: Sample, status = pick(s, statuses)): Campaign {
  return {
    id: 7,
    kind: pick(s, ['bulletin', 'digest', 'reminder'] as const, 8),
    source_type: 'article',
    source_id: s.slug,
    subject: s.title,
    topic_ids: JSON.stringify(pick(s, [[s.slug, s.text], [s.other], []], 16)),
    audience_frequency: pick(s, ['every', 'digest'] as const, 32),
    status,
    scheduled_for: status === 'scheduled' ? at : null,
    paused_reason: pick(s, [null, s.other], 64),
    compiled_html: null,
    compiled_text: null,
    archived: pick(s, [0, 1], 128),
    recipients: 12,
    created_by: s.name,
    started_by: s.email,
    created_at: at,
    updated_at: at,
    queued_at: at,
    started_at: at,
    finished_at: status === 'finished' ? at : null,
    cancelled_at: status === 'cancelled' ? at : null,
  };
}

function progress(s: Sample, status: CampaignStatus) {
  return describeProgress({
    status,
    recipients: 12,
    pending: 3,
    sending: 1,
    sent: 6,
    failed: 1,
    skipped: 1,
    ratePerSecond: pick(s, [0, 4.5, 1200], 4),
    etaSeconds: pick(s, [null, 3, 7300], 4),
    lastErrors: [s.other, s.text, s.summary],
    pausedReason: pick(s, [null, s.other], 2),
    finished: status === 'finished',
  });
}

function sources(s: Sample): SourceOptions {
  return {
    issues: [{ value: `issue:${s.slug}`, label: s.title }],
    articles: pick(s, [[{ value: `article:${s.text}`, label: s.other }], []], 2),
    events: pick(s, [[{ value: `event:${s.slug}`, label: s.summary }], []], 4),
  };
}

function listing(s: Sample): CampaignListing {
  const counts = { pending: 1, sending: 0, sent: 9, failed: pick(s, [0, 2]), skipped: 0 };
  return {
    campaigns: statuses.map((status) => ({ ...campaign(s, status), counts })),
    page: 1,
    pageCount: pick(s, [1, 3], 2),
    total: 7,
  };
}

const errors = (s: Sample, ...fields: string[]) =>
  pick(s, [{}, Object.fromEntries([...fields.map((f) => [f, s.other]), [s.text, s.summary]])], 16) as Record<string, string>;

function report(s: Sample): CampaignReport {
  return {
    campaign: campaign(s, pick(s, ['finished', 'cancelled', 'sending'] as const)),
    recipients: 12,
    counts: { pending: 0, sending: 0, sent: 10, failed: 1, skipped: 1 },
    bounces: { hard: 1, soft: 2, complaint: 0 },
    unsubscribedSince: 3,
  };
}

describe('campaign admin pages escape user-controlled text', () => {
  checkTemplates({
    'campaign list with the new-campaign forms': (s) =>
      CampaignListPage({
        ctx: ctx(s, '/admin/campaigns'),
        listing: listing(s),
        topics: topics(s),
        sources: sources(s),
        notice: pick(s, [undefined, s.text]),
        errors: errors(s, 'bulletinSource', 'reminderSource'),
        values: { bulletinSource: s.text, reminderSource: `event:${s.slug}` },
      }),
    'campaign page in every state, with its forms and progress': (s) => {
      const c = campaign(s);
      const started = !['draft', 'scheduled'].includes(c.status);
      return CampaignPage({
        ctx: ctx(s, '/admin/campaigns/7'),
        campaign: c,
        source: pick(s, [null, { label: s.summary, href: `/articles/${encodeURIComponent(s.slug)}` }], 4),
        topics: topics(s),
        progress: started ? progress(s, c.status) : null,
        overdue: pick(s, [false, true], 8),
        draft: { subject: s.other, topicIds: [s.slug], archived: true },
        schedule: { date: s.text, time: s.name },
        testAddresses: s.email,
        errors: errors(s, 'subject', 'topics', 'testAddresses', 'scheduleDate', 'scheduleTime'),
        notice: pick(s, [undefined, s.text], 2),
        renderedAt: s.text,
      });
    },
    'send confirmation': (s) =>
      SendConfirmPage({
        ctx: ctx(s, '/admin/campaigns/7/send'),
        campaign: campaign(s, 'draft'),
        topics: topics(s),
        eligible: pick(s, [0, 1, 120000]),
      }),
    'cancel confirmation': (s) => CancelConfirmPage({ ctx: ctx(s, '/admin/campaigns/7/cancel'), campaign: campaign(s) }),
    'wrong-state page': (s) => CampaignConflictPage({ ctx: ctx(s, '/admin/campaigns/7/send'), campaign: campaign(s), message: s.other }),
    report: (s) => CampaignReportPage({ ctx: ctx(s, '/admin/campaigns/7/report'), report: report(s), topics: topics(s) }),
  });
});
