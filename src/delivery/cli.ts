import { type Command, InvalidArgumentError } from 'commander';
import type { AppContext } from '../platform/context.ts';
import type { Campaign } from '../platform/db/schema.ts';
import { AppError } from '../platform/errors.ts';
import type { Runtime } from '../server.ts';
import { cliActor } from '../subscriptions/staff-actor.ts';
import { listTopics } from '../subscriptions/topics.ts';
import { campaignTopicIds, getCampaign, listCampaigns, parseCampaignId } from './campaigns/campaign-queries.ts';
import { KIND_LABELS, STATUS_LABELS } from './campaigns/campaign-rules.ts';
import { count, describeProgress, type ProgressView } from './campaigns/progress-text.ts';
import { sendCampaign } from './campaigns/send-campaign.ts';
import { DeliveryWorker, pauseCampaign, readProgress, resumeCampaign } from './engine/index.ts';
import { writeCampaignLedger } from './engine/write-ledger.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often `status --watch` and `send` read the progress. */
const POLL_MS = 1000;
const BAR_WIDTH = 30;

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/**
 * The CLI's progress bar, on stderr so stdout stays for results: on a terminal one line redrawn in
 * place; anywhere else (a log, CI) a line at each tenth of the way and at each change of state.
 */
export function progressBar(output: ProgressOutput) {
  let lastTenth = -1;
  let lastStatus = '';
  let drawn = false;
  const line = (p: ProgressView) => {
    const filled = Math.round((p.percent / 100) * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const rate = p.text.rate === '—' ? '' : `, ${p.text.rate}`;
    const eta = p.text.eta === '—' || p.finished ? '' : `, ${p.text.eta} left`;
    const failed = p.failed > 0 ? `, ${count(p.failed)} failed` : '';
    return `${bar} ${String(p.percent).padStart(3)} % ${p.text.status}: ${count(p.sent)} of ${count(p.recipients)} sent${failed}${rate}${eta}`;
  };
  return {
    update(p: ProgressView) {
      if (output.isTTY) {
        output.write(`\r${line(p)}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(p.percent / 10);
      if (tenth !== lastTenth || p.text.status !== lastStatus) output.write(`${line(p)}\n`);
      lastTenth = tenth;
      lastStatus = p.text.status;
    },
    /** Ends the redrawn line so what follows starts on a line of its own. */
    end() {
      if (output.isTTY && drawn) output.write('\n');
      drawn = false;
    },
  };
}

function campaignIdArgument(value: string): number {
  const id = parseCampaignId(value);
  if (id === null) throw new InvalidArgumentError(`"${value}" is not a campaign id (a whole number, as "dispatch campaign list" shows).`);
  return id;
}

/** A campaign, or a clear error naming the id that does not exist. */
async function campaignOrExplain(ctx: AppContext, id: number): Promise<Campaign> {
  try {
    return await getCampaign(ctx, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new AppError('NOT_FOUND', `There is no campaign ${id}. "dispatch campaign list" shows the campaigns and their ids.`);
    }
    throw error;
  }
}

const over = (p: ProgressView) => p.finished || p.status === 'cancelled' || p.status === 'paused' || p.status === 'draft';

function summary(campaign: Campaign, p: ProgressView): string {
  const parts = [`${count(p.sent)} sent`, `${count(p.failed)} failed`, `${count(p.skipped)} skipped`];
  if (p.waiting > 0) parts.push(`${count(p.waiting)} not sent yet`);
  return `Campaign ${campaign.id} is ${STATUS_LABELS[p.status].toLowerCase()}: ${parts.join(', ')} of ${count(p.recipients)}.`;
}

async function list(runtime: Runtime, options: { page: number }) {
  const { ctx } = runtime;
  const listing = await listCampaigns(ctx, { page: options.page });
  if (listing.total === 0) {
    print('No campaigns yet. Create one on the admin pages: /admin/campaigns');
    return;
  }
  const rows = listing.campaigns.map((c) => [
    String(c.id),
    STATUS_LABELS[c.status],
    KIND_LABELS[c.kind],
    c.status === 'draft' || c.status === 'scheduled' ? '—' : `${count(c.counts.sent)}/${count(c.recipients)}`,
    (c.scheduled_for && c.status === 'scheduled' ? c.scheduled_for : (c.started_at ?? c.created_at)).slice(0, 16).replace('T', ' '),
    c.subject.length > 60 ? `${c.subject.slice(0, 59)}…` : c.subject,
  ]);
  const header = ['ID', 'STATUS', 'KIND', 'SENT', 'WHEN (UTC)', 'SUBJECT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) print(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
  if (listing.pageCount > 1) print(`Page ${listing.page} of ${listing.pageCount}: --page N for another.`);
}

/** Reads the progress until the send is over (finished, cancelled, paused or sent back to draft). */
async function watch(ctx: AppContext, campaignId: number): Promise<ProgressView> {
  const bar = progressBar(process.stderr);
  for (;;) {
    const progress = describeProgress(await readProgress(ctx, campaignId));
    bar.update(progress);
    if (over(progress)) {
      bar.end();
      return progress;
    }
    await sleep(POLL_MS);
  }
}

async function status(runtime: Runtime, id: number, options: { watch?: boolean }) {
  const { ctx } = runtime;
  const campaign = await campaignOrExplain(ctx, id);
  const topics = new Map((await listTopics(ctx.db, { audience: 'staff' })).map((t) => [t.id, t.name]));
  print(`Campaign ${campaign.id}: ${campaign.subject}`);
  print(`  ${KIND_LABELS[campaign.kind]}, ${STATUS_LABELS[campaign.status].toLowerCase()}`);
  print(
    `  To: ${
      campaignTopicIds(campaign)
        .map((t) => topics.get(t) ?? 'a deleted topic')
        .join(', ') || 'no topics'
    } (${campaign.audience_frequency === 'digest' ? 'monthly digest' : 'every bulletin'})`,
  );
  if (campaign.status === 'scheduled') print(`  Scheduled for ${campaign.scheduled_for}`);
  if (campaign.paused_reason) print(`  ${campaign.status === 'draft' ? '' : 'Paused: '}${campaign.paused_reason}`);
  if (campaign.status === 'draft' || campaign.status === 'scheduled') return;
  const progress = options.watch ? await watch(ctx, campaign.id) : describeProgress(await readProgress(ctx, campaign.id));
  print(summary(campaign, progress));
  for (const error of progress.lastErrors) print(`  last error: ${error}`);
}

/**
 * Sends in this process: writes the ledger (a no-op when a server's job got there first) and runs a
 * delivery worker until the campaign leaves "sending" (finished, paused or cancelled), drawing the
 * progress meanwhile. Other workers on the same database may share the work: rows are claimed
 * under leases, so nobody is sent to twice.
 */
async function sendHere(ctx: AppContext, campaignId: number): Promise<ProgressView> {
  await writeCampaignLedger(ctx, { campaignId });
  const worker = new DeliveryWorker({ ctx });
  const bar = progressBar(process.stderr);
  let running = true;
  const sending = worker.runUntilIdle(campaignId).finally(() => {
    running = false;
  });
  try {
    while (running) {
      bar.update(describeProgress(await readProgress(ctx, campaignId)));
      await Promise.race([sleep(POLL_MS), sending.catch(() => undefined)]);
    }
    await sending;
  } finally {
    await worker.stop();
  }
  const progress = describeProgress(await readProgress(ctx, campaignId));
  bar.update(progress);
  bar.end();
  return progress;
}

async function send(runtime: Runtime, id: number, options: { detach?: boolean }) {
  const { ctx } = runtime;
  const campaign = await campaignOrExplain(ctx, id);
  await sendCampaign(ctx, { campaignId: campaign.id, actor: cliActor });
  if (options.detach) {
    print(
      `Campaign ${campaign.id} started. A running server or "dispatch worker" sends it; follow it with "dispatch campaign status ${campaign.id} --watch".`,
    );
    return;
  }
  const progress = await sendHere(ctx, campaign.id);
  print(summary(campaign, progress));
  if (progress.status === 'paused') {
    process.stderr.write(
      `Paused${progress.pausedReason ? `: ${progress.pausedReason}` : ''}. Resume with "dispatch campaign resume ${campaign.id}".\n`,
    );
    process.exitCode = 1;
  } else if (progress.status === 'draft') {
    const again = await getCampaign(ctx, campaign.id);
    process.stderr.write(`${again.paused_reason ?? 'The send did not start.'}\n`);
    process.exitCode = 1;
  }
}

async function pauseOrResume(runtime: Runtime, id: number, action: 'pause' | 'resume') {
  const { ctx } = runtime;
  const campaign = await campaignOrExplain(ctx, id);
  if (action === 'pause') await pauseCampaign(ctx, { campaignId: campaign.id, actor: cliActor });
  else await resumeCampaign(ctx, { campaignId: campaign.id, actor: cliActor });
  print(
    action === 'pause'
      ? `Campaign ${campaign.id} paused. Nothing more is sent until "dispatch campaign resume ${campaign.id}".`
      : `Campaign ${campaign.id} resumed. A running server or "dispatch worker" sends the rest.`,
  );
}

/** `dispatch campaign list|status|send|pause|resume`. */
export function registerCampaignCommands(program: Command, withRuntime: (fn: (runtime: Runtime) => Promise<void>) => Promise<void>): void {
  const campaign = program
    .command('campaign')
    .description('Bulletins, digests and event reminders: list them, send one, follow it, pause or resume it.');

  campaign
    .command('list')
    .description('List campaigns, newest first, with their status and how many were sent.')
    .option(
      '--page <n>',
      'page of 25',
      (value) => {
        const page = Number(value);
        if (!Number.isSafeInteger(page) || page < 1) throw new InvalidArgumentError('The page is a whole number from 1.');
        return page;
      },
      1,
    )
    .action((options: { page: number }) => withRuntime((runtime) => list(runtime, options)));

  campaign
    .command('status')
    .description('Show a campaign and its progress; --watch follows it until the send is over.')
    .argument('<id>', 'campaign id', campaignIdArgument)
    .option('--watch', 'keep showing the progress until the send is over')
    .action((id: number, options: { watch?: boolean }) => withRuntime((runtime) => status(runtime, id, options)));

  campaign
    .command('send')
    .description(
      'Send a draft or scheduled campaign now, from this process, showing the progress; --detach only starts it for a running server or worker.',
    )
    .argument('<id>', 'campaign id', campaignIdArgument)
    .option('--detach', 'start the send and return at once')
    .action((id: number, options: { detach?: boolean }) => withRuntime((runtime) => send(runtime, id, options)));

  for (const action of ['pause', 'resume'] as const) {
    campaign
      .command(action)
      .description(action === 'pause' ? 'Pause a campaign that is sending.' : 'Resume a paused campaign.')
      .argument('<id>', 'campaign id', campaignIdArgument)
      .action((id: number) => withRuntime((runtime) => pauseOrResume(runtime, id, action)));
  }
}
