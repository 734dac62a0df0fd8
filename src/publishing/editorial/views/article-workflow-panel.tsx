import { PostForm, SelectField } from '../../../platform/views/components/forms.tsx';
import type { ArticleRow } from '../articles/article-queries.ts';
import { STATE_LABELS } from '../articles/article-state.ts';
import type { ScheduleForm } from '../articles/schedule-article.ts';
import { EVENT_TIME_ZONES } from '../shared/zoned-time.ts';
import { ISSUE_RULE } from './article-fields.tsx';
import { InputField } from './fields.tsx';
import { ActionButton, StatusTag, When } from './parts.tsx';

const NEXT_STEP: Record<ArticleRow['status'], string> = {
  draft: 'When it is ready, submit it for review. A publisher then schedules or publishes it.',
  in_review: 'Waiting for a publisher to schedule or publish it. Return it to draft to keep working on it.',
  scheduled: 'It will be published automatically at the scheduled time.',
  published: 'Readers can see it. Unpublishing makes it a draft again.',
};

function ScheduleFields(props: { csrfToken: string; action: string; form: ScheduleForm; errors: Record<string, string>; label: string }) {
  const e = props.errors;
  return (
    <PostForm action={props.action} csrfToken={props.csrfToken} label={props.label} class="usa-form margin-bottom-2">
      <fieldset class="usa-fieldset">
        <legend class="usa-legend">{props.label}</legend>
        <InputField
          name="scheduleDate"
          label="Date"
          type="date"
          hint="For example: 2024-01-22"
          value={props.form.date}
          error={e.scheduleDate}
        />
        <InputField
          name="scheduleTime"
          label="Time"
          type="time"
          step={1}
          hint="24-hour clock, for example 09:00"
          value={props.form.time}
          error={e.scheduleTime}
        />
        <SelectField
          name="scheduleTimeZone"
          label="Time zone"
          options={EVENT_TIME_ZONES.map((z) => ({ value: z.value, label: z.label }))}
          value={props.form.timeZone}
          error={e.scheduleTimeZone}
        />
      </fieldset>
      <button type="submit" class="usa-button margin-top-2">
        Schedule
      </button>
    </PostForm>
  );
}

/** The article's state and the actions the viewer may take from it. */
export function ArticleWorkflowPanel(props: {
  csrfToken: string;
  article: ArticleRow;
  mayPublish: boolean;
  schedule: ScheduleForm;
  scheduleErrors: Record<string, string>;
}) {
  const { article, mayPublish, csrfToken } = props;
  const base = `/admin/articles/${article.id}`;
  return (
    <section aria-labelledby="workflow-heading" class="margin-bottom-4">
      <h2 id="workflow-heading">Workflow</h2>
      <p>
        State: <StatusTag label={STATE_LABELS[article.status]} />
        {article.status === 'scheduled' ? (
          <>
            {' '}
            for <When at={article.scheduled_for} />
          </>
        ) : null}
        {article.published_at ? (
          <>
            {' '}
            · First published <When at={article.published_at} />
          </>
        ) : null}
      </p>
      <p class="usa-hint">{NEXT_STEP[article.status]}</p>
      <div>
        {article.status === 'draft' ? <ActionButton action={`${base}/submit`} csrfToken={csrfToken} label="Submit for review" /> : null}
        {article.status === 'in_review' ? (
          <ActionButton action={`${base}/return`} csrfToken={csrfToken} label="Return to draft" outline />
        ) : null}
        {mayPublish && (article.status === 'in_review' || article.status === 'scheduled') ? (
          <ActionButton action={`${base}/publish`} csrfToken={csrfToken} label="Publish now" />
        ) : null}
        {mayPublish && article.status === 'scheduled' ? (
          <ActionButton action={`${base}/return`} csrfToken={csrfToken} label="Cancel schedule (back to draft)" outline />
        ) : null}
        {mayPublish && article.status === 'published' ? (
          <ActionButton action={`${base}/unpublish`} csrfToken={csrfToken} label="Unpublish" secondary />
        ) : null}
        {mayPublish && article.status === 'published' ? (
          <PostForm action="/admin/campaigns" csrfToken={csrfToken} label="Send as bulletin" class="display-inline-block margin-bottom-1">
            <input type="hidden" name="kind" value="bulletin" />
            <input type="hidden" name="bulletinSource" value={`article:${article.id}`} />
            <button type="submit" class="usa-button usa-button--outline">
              Send as bulletin
            </button>
          </PostForm>
        ) : null}
      </div>
      {mayPublish && (article.status === 'in_review' || article.status === 'scheduled') ? (
        <ScheduleFields
          csrfToken={csrfToken}
          action={`${base}/schedule`}
          form={props.schedule}
          errors={props.scheduleErrors}
          label={article.status === 'scheduled' ? 'Choose another time' : 'Schedule publication'}
        />
      ) : null}
      {!mayPublish && article.status !== 'draft' ? (
        <p class="usa-hint">Scheduling, publishing and unpublishing are for publishers (signed in with a second factor).</p>
      ) : null}
      {article.issue_id ? <p class="usa-hint">{ISSUE_RULE}</p> : null}
    </section>
  );
}
