import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAbility } from '../../platform/auth/guards.ts';
import { iso } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { formFields, formValues } from '../../platform/http/form.ts';
import { pageNumber } from '../../platform/views/components/pagination.tsx';
import { staffActorOf } from '../../subscriptions/staff-actor.ts';
import { listTopics } from '../../subscriptions/topics.ts';
import { campaignTopicIds, getCampaign, listCampaigns, parseCampaignId, STARTED_STATUSES } from '../campaigns/campaign-queries.ts';
import { campaignReport } from '../campaigns/campaign-report.ts';
import { isOverdue } from '../campaigns/campaign-rules.ts';
import { campaignSourceOptions, sourceLink } from '../campaigns/campaign-sources.ts';
import { countEligibleRecipients } from '../campaigns/count-eligible-recipients.ts';
import { createCampaign, type NewCampaignKind } from '../campaigns/create-campaign.ts';
import { previewCampaign } from '../campaigns/preview-campaign.ts';
import { describeProgress } from '../campaigns/progress-text.ts';
import { type ScheduleForm, scheduleCampaign, suggestedSchedule } from '../campaigns/schedule-campaign.ts';
import { sendCampaign } from '../campaigns/send-campaign.ts';
import { sendTestMessages } from '../campaigns/send-test-messages.ts';
import { unscheduleCampaign } from '../campaigns/unschedule-campaign.ts';
import { type DraftForm, updateCampaignDraft } from '../campaigns/update-campaign-draft.ts';
import { cancelCampaign } from '../engine/cancel-campaign.ts';
import { pauseCampaign } from '../engine/pause-campaign.ts';
import { readProgress } from '../engine/read-progress.ts';
import { resumeCampaign } from '../engine/resume-campaign.ts';
import { CampaignListPage } from './views/campaign-list-page.tsx';
import { CampaignPage, type CampaignPageProps } from './views/campaign-page.tsx';
import { CampaignConflictPage, CancelConfirmPage, SendConfirmPage } from './views/confirm-pages.tsx';
import { CAMPAIGNS_PATH } from './views/parts.tsx';
import { PROGRESS_SCRIPT } from './views/progress-panel.tsx';
import { CampaignReportPage } from './views/report-page.tsx';

const ONE_HOUR = 60 * 60 * 1000;
/** Test sends per staff member per hour: plenty for checking, useless for mailing people. */
export const TEST_SENDS_PER_HOUR = 10;

const NOTICES: Record<string, string> = {
  created: 'Draft created. Check the subject and the audience, preview it and send yourself a test.',
  saved: 'Changes saved.',
  unchanged: 'Nothing was changed.',
  'test-sent': 'Test sent. It should arrive within a minute or two.',
  scheduled: 'Scheduled. It will be sent automatically at that time.',
  unscheduled: 'Unscheduled. It is a draft again and will not be sent on its own.',
  started: 'Sending has started.',
  paused: 'Paused. Nothing more is sent until you resume.',
  resumed: 'Resumed.',
  cancelled: 'Cancelled. Nothing more will be sent.',
};

const progressScript = fs.readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', 'campaign-progress.js'), 'utf8');

function noticeOf(request: FastifyRequest): string | undefined {
  const key = (request.query as Record<string, unknown>).notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key] : undefined;
}

function campaignIdOf(request: FastifyRequest): number {
  const id = parseCampaignId((request.params as { id?: unknown }).id);
  if (id === null) throw notFound('That campaign');
  return id;
}

const isAppError = (error: unknown, code: AppError['code']): error is AppError => error instanceof AppError && error.code === code;

/**
 * /admin/campaigns: bulletins, digests and reminders; their preview, test send, schedule, send and
 * live progress; pause, resume, cancel; and the report. Publishers and administrators with a
 * second factor only ('publish'): everything here mails the agency's subscribers or shows who.
 */
export const campaignAdminRoutes: FeatureRoutes = async (app, ctx) => {
  const publish = { preHandler: requireAbility(ctx.config, 'publish') };
  const script = await progressScript;

  const staffTopics = () => listTopics(ctx.db, { audience: 'staff' });

  async function renderCampaign(
    reply: FastifyReply,
    campaignId: number,
    extra: Partial<Pick<CampaignPageProps, 'draft' | 'schedule' | 'testAddresses' | 'errors' | 'notice'>> = {},
    status = 200,
  ) {
    const campaign = await getCampaign(ctx, campaignId);
    const [topics, source, progress, schedule] = await Promise.all([
      staffTopics(),
      sourceLink(ctx, campaign),
      STARTED_STATUSES.includes(campaign.status) ? readProgress(ctx, campaign.id) : null,
      suggestedSchedule(ctx, campaign),
    ]);
    const now = ctx.clock.now();
    return reply.html(
      CampaignPage({
        ctx: await reply.pageContext(),
        campaign,
        source,
        topics,
        progress: progress ? describeProgress(progress) : null,
        overdue: isOverdue(campaign, now),
        draft: { subject: campaign.subject, topicIds: campaignTopicIds(campaign), archived: campaign.archived === 1 },
        schedule,
        renderedAt: iso(now),
        ...extra,
      }),
      status,
    );
  }

  async function renderConflict(reply: FastifyReply, campaignId: number, error: AppError) {
    const campaign = await getCampaign(ctx, campaignId);
    return reply.html(CampaignConflictPage({ ctx: await reply.pageContext(), campaign, message: error.message }), 409);
  }

  /**
   * Runs a campaign action and answers as every action here does: 303 back to the campaign with a
   * notice; 409 with an explanation when its state forbids it; 400 with the form and its errors.
   */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    action: (campaignId: number) => Promise<string>,
    onInvalid?: (campaignId: number, errors: Record<string, string>) => Promise<unknown>,
  ) {
    const campaignId = campaignIdOf(request);
    let notice: string;
    try {
      notice = await action(campaignId);
    } catch (error) {
      if (isAppError(error, 'CONFLICT')) return renderConflict(reply, campaignId, error);
      if (isAppError(error, 'VALIDATION')) {
        return onInvalid ? onInvalid(campaignId, error.fields) : renderCampaign(reply, campaignId, { errors: error.fields }, 400);
      }
      throw error;
    }
    const anchor = notice === 'started' || notice === 'paused' || notice === 'resumed' ? '#progress' : '';
    return reply.redirect(`${CAMPAIGNS_PATH}/${campaignId}?notice=${notice}${anchor}`, 303);
  }

  // ---- The list and new drafts ----------------------------------------------------------------

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
    status = 200,
  ) {
    const [listing, topics, sources] = await Promise.all([
      listCampaigns(ctx, { page: pageNumber(request.query) }),
      staffTopics(),
      campaignSourceOptions(ctx),
    ]);
    return reply.html(
      CampaignListPage({ ctx: await reply.pageContext(), listing, topics, sources, notice: noticeOf(request), ...extra }),
      status,
    );
  }

  app.get(CAMPAIGNS_PATH, publish, async (request, reply) => renderList(request, reply));

  app.post(CAMPAIGNS_PATH, publish, async (request, reply) => {
    const fields = formFields(request);
    const kind: NewCampaignKind = fields.kind === 'reminder' ? 'reminder' : 'bulletin';
    let campaignId: number;
    try {
      campaignId = await createCampaign(ctx, {
        kind,
        source: kind === 'reminder' ? fields.reminderSource : fields.bulletinSource,
        actor: staffActorOf(request),
      });
    } catch (error) {
      if (!isAppError(error, 'VALIDATION')) throw error;
      return renderList(request, reply, { errors: error.fields, values: fields }, 400);
    }
    return reply.redirect(`${CAMPAIGNS_PATH}/${campaignId}?notice=created`, 303);
  });

  // ---- One campaign -----------------------------------------------------------------------------

  app.get(`${CAMPAIGNS_PATH}/:id`, publish, async (request, reply) =>
    renderCampaign(reply, campaignIdOf(request), { notice: noticeOf(request) }),
  );

  app.get(`${CAMPAIGNS_PATH}/:id/progress.json`, publish, async (request, reply) => {
    const campaign = await getCampaign(ctx, campaignIdOf(request));
    const progress = describeProgress(await readProgress(ctx, campaign.id));
    return reply.header('cache-control', 'no-store').send(progress);
  });

  app.get(`${CAMPAIGNS_PATH}/:id/preview`, publish, async (request, reply) => {
    const preview = await previewCampaign(ctx, { campaignId: campaignIdOf(request) });
    // The e-mail's own document, shown as is, under a policy of its own: its inline styles and
    // images may load, nothing else may (no script runs: default-src 'none'; no form posts, no
    // frame, no <base>), so markup inside an e-mail can do nothing on the staff's session.
    return reply
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
      )
      .type('text/html; charset=utf-8')
      .send(preview.html);
  });

  app.get(`${CAMPAIGNS_PATH}/:id/preview.txt`, publish, async (request, reply) => {
    const preview = await previewCampaign(ctx, { campaignId: campaignIdOf(request) });
    return reply.type('text/plain; charset=utf-8').send(preview.text);
  });

  app.get(`${CAMPAIGNS_PATH}/:id/report`, publish, async (request, reply) => {
    const [report, topics] = await Promise.all([campaignReport(ctx, { campaignId: campaignIdOf(request) }), staffTopics()]);
    return reply.html(CampaignReportPage({ ctx: await reply.pageContext(), report, topics }));
  });

  app.post(`${CAMPAIGNS_PATH}/:id/update`, publish, async (request, reply) => {
    const fields = formFields(request);
    const draft: DraftForm = { subject: fields.subject ?? '', topicIds: formValues(request, 'topics'), archived: fields.archived === 'on' };
    return act(
      request,
      reply,
      async (campaignId) => {
        const changed = await updateCampaignDraft(ctx, { campaignId, form: draft, actor: staffActorOf(request) });
        return changed.length > 0 ? 'saved' : 'unchanged';
      },
      (campaignId, errors) => renderCampaign(reply, campaignId, { errors, draft }, 400),
    );
  });

  app.post(
    `${CAMPAIGNS_PATH}/:id/test`,
    {
      ...publish,
      config: {
        // Per person, not per address: colleagues behind one office NAT each get their own allowance.
        rateLimit: {
          max: TEST_SENDS_PER_HOUR,
          timeWindow: ONE_HOUR,
          keyGenerator: (request: FastifyRequest) => request.auth?.user.id ?? request.ip,
        },
      },
    },
    async (request, reply) => {
      const addresses = formFields(request).testAddresses ?? '';
      return act(
        request,
        reply,
        async (campaignId) => {
          await sendTestMessages(ctx, { campaignId, addresses, actor: staffActorOf(request) });
          return 'test-sent';
        },
        (campaignId, errors) => renderCampaign(reply, campaignId, { errors, testAddresses: addresses }, 400),
      );
    },
  );

  app.post(`${CAMPAIGNS_PATH}/:id/schedule`, publish, async (request, reply) => {
    const fields = formFields(request);
    const when: ScheduleForm = { date: fields.scheduleDate ?? '', time: fields.scheduleTime ?? '' };
    return act(
      request,
      reply,
      async (campaignId) => {
        await scheduleCampaign(ctx, { campaignId, when, actor: staffActorOf(request) });
        return 'scheduled';
      },
      (campaignId, errors) => renderCampaign(reply, campaignId, { errors, schedule: when }, 400),
    );
  });

  app.post(`${CAMPAIGNS_PATH}/:id/unschedule`, publish, async (request, reply) =>
    act(request, reply, async (campaignId) => {
      await unscheduleCampaign(ctx, { campaignId, actor: staffActorOf(request) });
      return 'unscheduled';
    }),
  );

  app.get(`${CAMPAIGNS_PATH}/:id/send`, publish, async (request, reply) => {
    const campaign = await getCampaign(ctx, campaignIdOf(request));
    if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
      return renderConflict(
        reply,
        campaign.id,
        new AppError('CONFLICT', 'This campaign has already been started. A campaign is never sent twice.'),
      );
    }
    const [topics, eligible] = await Promise.all([staffTopics(), countEligibleRecipients(ctx, campaign)]);
    return reply.html(SendConfirmPage({ ctx: await reply.pageContext(), campaign, topics, eligible }));
  });

  app.post(`${CAMPAIGNS_PATH}/:id/send`, publish, async (request, reply) =>
    act(request, reply, async (campaignId) => {
      await sendCampaign(ctx, { campaignId, actor: staffActorOf(request) });
      return 'started';
    }),
  );

  app.post(`${CAMPAIGNS_PATH}/:id/pause`, publish, async (request, reply) =>
    act(request, reply, async (campaignId) => {
      await pauseCampaign(ctx, { campaignId, actor: staffActorOf(request) });
      return 'paused';
    }),
  );

  app.post(`${CAMPAIGNS_PATH}/:id/resume`, publish, async (request, reply) =>
    act(request, reply, async (campaignId) => {
      await resumeCampaign(ctx, { campaignId, actor: staffActorOf(request) });
      return 'resumed';
    }),
  );

  app.get(`${CAMPAIGNS_PATH}/:id/cancel`, publish, async (request, reply) => {
    const campaign = await getCampaign(ctx, campaignIdOf(request));
    if (campaign.status === 'finished' || campaign.status === 'cancelled') {
      return renderConflict(
        reply,
        campaign.id,
        new AppError('CONFLICT', 'This campaign is over already: there is nothing left to cancel.'),
      );
    }
    return reply.html(CancelConfirmPage({ ctx: await reply.pageContext(), campaign }));
  });

  app.post(`${CAMPAIGNS_PATH}/:id/cancel`, publish, async (request, reply) =>
    act(request, reply, async (campaignId) => {
      await cancelCampaign(ctx, { campaignId, actor: staffActorOf(request) });
      return 'cancelled';
    }),
  );

  app.get(PROGRESS_SCRIPT, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(script),
  );
};
