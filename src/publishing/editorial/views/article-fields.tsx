import { Checkbox, SelectField, TextAreaField, TextField } from '../../../platform/views/components/forms.tsx';
import { issueMonthLabel } from '../../format.ts';
import type { ArticleForm } from '../articles/article-form.ts';
import type { IssueOption } from '../articles/article-queries.ts';
import { SLUG_HINT } from '../shared/slug.ts';
import type { TopicOption } from '../shared/topic-links.ts';
import { TopicCheckboxes } from './fields.tsx';

export const ISSUE_RULE = 'Publishing an article that belongs to a draft issue publishes that issue too.';

export function issueLabel(issue: Pick<IssueOption, 'volume' | 'number' | 'month'>): string {
  return `Volume ${issue.volume}, Issue ${issue.number} (${issueMonthLabel(issue.month)})`;
}

/** The fields of the article form (shared by the new and edit pages). */
export function ArticleFields(props: {
  form: ArticleForm;
  errors: Record<string, string>;
  topics: TopicOption[];
  issues: IssueOption[];
  hasImage: boolean;
}) {
  const { form, errors: e } = props;
  const issueOptions = [
    { value: '', label: 'Stands alone (no issue)' },
    ...props.issues.map((i) => ({ value: i.id, label: `${issueLabel(i)}${i.status === 'draft' ? ' (draft)' : ''}` })),
  ];
  return (
    <>
      <TextField name="title" label="Title" value={form.title} error={e.title} maxLength={200} />
      <TextField
        name="slug"
        label="Slug"
        hint={SLUG_HINT}
        value={form.slug}
        error={e.slug}
        required={false}
        maxLength={200}
        spellcheck={false}
      />
      <TextAreaField
        name="summary"
        label="Summary"
        hint="One or two sentences, shown under the title and in lists."
        value={form.summary}
        error={e.summary}
        rows={3}
      />
      <TextAreaField
        name="body"
        label="Article text (Markdown)"
        hint="Markdown: blank line between paragraphs, ## for a heading, [text](https://address) for a link. Use Preview to check it."
        value={form.body}
        error={e.body}
        rows={16}
      />
      <TextField
        name="authors"
        label="Authors"
        hint="As printed in the byline, separated by commas."
        value={form.authors}
        error={e.authors}
        required={false}
      />
      <SelectField name="issueId" label="Issue" hint={ISSUE_RULE} options={issueOptions} value={form.issueId} error={e.issueId} />
      <TextField
        name="position"
        label="Position in the issue"
        hint="Lower numbers come first; 0 is the lead article."
        type="number"
        inputMode="numeric"
        value={form.position}
        error={e.position}
        required={false}
      />
      <TopicCheckboxes topics={props.topics} checked={form.topics} error={e.topics} />
      <TextAreaField
        name="additionalResources"
        label="Additional resources"
        hint="One per line: a title, a “|”, then the address. For example: COPS Office | https://cops.usdoj.gov/"
        value={form.additionalResources}
        error={e.additionalResources}
        rows={4}
        required={false}
      />
      <div class="margin-top-3">
        <Checkbox name="showDisclaimer" label="Show the opinion disclaimer under the article" checked={form.showDisclaimer} />
      </div>
      {props.hasImage ? (
        <>
          <TextField
            name="imageAlt"
            label="Image alt text"
            hint="Describe the image for people who cannot see it. Required while the article has an image."
            value={form.imageAlt}
            error={e.imageAlt}
            required={false}
            maxLength={500}
          />
          <Checkbox name="removeImage" label="Remove the image from this article" checked={form.removeImage} />
        </>
      ) : null}
    </>
  );
}

/** The rendered Markdown under the form after "Preview" (nothing saved). */
export function BodyPreview({ title, summary, html }: { title: string; summary: string; html: string }) {
  return (
    <section class="margin-top-5 border-top-2px border-base-light padding-top-3" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview (not saved)</h2>
      <p class="usa-hint">This is how the text will read. Nothing has been saved yet: use Save to keep your changes.</p>
      <div class="border-1px border-base-lighter padding-2 radius-md">
        <p class="font-heading-lg text-bold margin-top-0">{title || 'Untitled'}</p>
        {summary ? <p class="usa-intro">{summary}</p> : null}
        {/* Rendered from Markdown with raw HTML disabled and sanitised; see publishing/markdown.ts. */}
        <div class="usa-prose" dangerouslySetInnerHTML={{ __html: html }} />
      </div>
    </section>
  );
}
