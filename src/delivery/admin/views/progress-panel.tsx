import type { Campaign } from '../../../platform/db/schema.ts';
import type { ProgressView } from '../../campaigns/progress-text.ts';
import { campaignPath, Fact } from './parts.tsx';

/** Where the live-update script is served from (see ../assets/campaign-progress.js). */
export const PROGRESS_SCRIPT = '/assets/delivery/campaign-progress.js';

/**
 * A send's live progress. Without JavaScript it is correct as of the page load and "Refresh
 * progress" reloads it (no meta refresh: a page that reloads itself fails WCAG 2.2.1). With
 * JavaScript, campaign-progress.js polls progress.json and rewrites each [data-progress] element;
 * a polite live region announces every tenth of the way and each change of state, not every poll.
 */
export function ProgressPanel(props: { campaign: Campaign; progress: ProgressView; nonce: string; renderedAt: string }) {
  const { campaign, progress } = props;
  const t = progress.text;
  const showFailures = progress.lastErrors.length > 0;
  return (
    <section
      aria-labelledby="progress-heading"
      id="progress"
      class="margin-bottom-4"
      data-progress-url={campaignPath(campaign, '/progress.json')}
      data-progress-done={progress.finished || campaign.status === 'cancelled' ? 'true' : 'false'}
    >
      <h2 id="progress-heading">Progress</h2>
      <p class="margin-bottom-1" id="progress-label" data-progress="label">
        {t.label}
      </p>
      <progress
        class="width-full height-3"
        id="progress-bar"
        max={Math.max(progress.recipients, 1)}
        value={progress.recipients === 0 && progress.finished ? 1 : progress.done}
        aria-labelledby="progress-label"
        data-progress="bar"
      >
        {t.percent}
      </progress>
      <dl class="margin-top-2">
        <Fact term="Status">
          <span data-progress="status">{t.status}</span>
        </Fact>
        <Fact term="Rate">
          <span data-progress="rate">{t.rate}</span>
        </Fact>
        <Fact term="Time left">
          <span data-progress="eta">{t.eta}</span>
        </Fact>
        <Fact term="Sent">
          <span data-progress="sent">{t.sent}</span>
        </Fact>
        <Fact term="Failed">
          <span data-progress="failed">{t.failed}</span>
        </Fact>
        <Fact term="Skipped (unsubscribed or paused since the start)">
          <span data-progress="skipped">{t.skipped}</span>
        </Fact>
        <Fact term="Still to send">
          <span data-progress="waiting">{t.waiting}</span>
        </Fact>
      </dl>
      <div class="usa-alert usa-alert--warning usa-alert--slim" data-progress="paused" hidden={!progress.pausedReason}>
        <div class="usa-alert__body">
          <p class="usa-alert__text">
            <strong>Paused:</strong> <span data-progress="pausedReason">{progress.pausedReason ?? ''}</span>
          </p>
        </div>
      </div>
      <div data-progress="errorsBlock" hidden={!showFailures}>
        <h3>Last errors</h3>
        <ul class="usa-list" data-progress="errors">
          {progress.lastErrors.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      </div>
      <p>
        {/* A new query each time, so following the link always reloads (a bare #fragment would not). */}
        <a href={`${campaignPath(campaign)}?at=${encodeURIComponent(props.renderedAt)}#progress`} data-progress="refresh">
          Refresh progress
        </a>
      </p>
      <div class="usa-sr-only" role="status" aria-live="polite" data-progress="announce" />
      <script nonce={props.nonce} src={PROGRESS_SCRIPT} defer />
    </section>
  );
}
