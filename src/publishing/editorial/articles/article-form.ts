import type { Db } from '../../../platform/db/database.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import { formatLinkLines, parseLinkLines, readJsonList, type TitledLink } from '../shared/link-lines.ts';
import type { PostedForm } from '../shared/posted-form.ts';
import { slugField } from '../shared/slug.ts';
import { checkTopicIds } from '../shared/topic-links.ts';
import { type ArticleRow, findArticleIdBySlug } from './article-queries.ts';

/** The article form as typed: what the page re-shows after an error, and what the use-cases validate. */
export interface ArticleForm {
  title: string;
  slug: string;
  summary: string;
  body: string;
  authors: string;
  /** An issue id, or "" for an article that stands alone. */
  issueId: string;
  position: string;
  topics: string[];
  /** One "Title | https://address" per line. */
  additionalResources: string;
  showDisclaimer: boolean;
  imageAlt: string;
  removeImage: boolean;
}

export const emptyArticleForm: ArticleForm = {
  title: '',
  slug: '',
  summary: '',
  body: '',
  authors: '',
  issueId: '',
  position: '0',
  topics: [],
  additionalResources: '',
  showDisclaimer: true,
  imageAlt: '',
  removeImage: false,
};

export function articleFormFromPost(form: PostedForm): ArticleForm {
  const f = form.fields;
  return {
    title: f.title ?? '',
    slug: f.slug ?? '',
    summary: f.summary ?? '',
    body: f.body ?? '',
    authors: f.authors ?? '',
    issueId: f.issueId ?? '',
    position: f.position ?? '',
    topics: form.all('topics'),
    additionalResources: f.additionalResources ?? '',
    showDisclaimer: f.showDisclaimer === 'on',
    imageAlt: f.imageAlt ?? '',
    removeImage: f.removeImage === 'on',
  };
}

export function articleFormFromRow(row: ArticleRow, topicIds: string[]): ArticleForm {
  return {
    title: row.title,
    slug: row.slug,
    summary: row.summary,
    body: row.body_markdown,
    authors: row.authors,
    issueId: row.issue_id ?? '',
    position: String(row.position),
    topics: topicIds,
    additionalResources: formatLinkLines(readJsonList<TitledLink>(row.additional_resources)),
    showDisclaimer: row.show_disclaimer === 1,
    imageAlt: row.image_alt ?? '',
    removeImage: false,
  };
}

/** The validated columns an article form sets. */
export interface ArticleValues {
  title: string;
  slug: string;
  summary: string;
  body_markdown: string;
  authors: string;
  issue_id: string | null;
  position: number;
  additional_resources: string;
  show_disclaimer: number;
  image_upload_id: string | null;
  image_alt: string | null;
  topicIds: string[];
}

/**
 * Checks an article form against the rules and the database (slug free, issue and topics exist).
 * `current` is the article being edited (null when creating). Throws VALIDATION with every problem.
 */
export async function validateArticleForm(
  db: Db,
  form: ArticleForm,
  current: Pick<ArticleRow, 'id' | 'image_upload_id'> | null,
): Promise<ArticleValues> {
  const errors = new FieldErrors();
  const title = errors.required('title', form.title, 'a title', 200);
  const slug = slugField(errors, form.slug, title);
  const summary = errors.required('summary', form.summary, 'a summary', 1000);
  const body = errors.required('body', form.body, 'the article text', 200_000);
  const authors = errors.optional('authors', form.authors, 'the authors', 300);
  const position = errors.integer('position', form.position, 'the position', { min: 0, max: 999, fallback: 0 });
  const resources = parseLinkLines(form.additionalResources);
  if ('error' in resources) errors.add('additionalResources', resources.error);

  let issueId: string | null = null;
  if (form.issueId !== '') {
    const issue = await db.selectFrom('publishing_issues').select('id').where('id', '=', form.issueId).executeTakeFirst();
    if (issue) issueId = issue.id;
    else errors.add('issueId', 'That issue no longer exists. Choose another, or “Stands alone”.');
  }
  const topicIds = await checkTopicIds(db, form.topics, errors);

  const imageUploadId = form.removeImage ? null : (current?.image_upload_id ?? null);
  const imageAlt = form.imageAlt.trim();
  if (imageUploadId !== null) {
    if (imageAlt === '') errors.add('imageAlt', 'Describe the image for people who cannot see it (alt text), or remove the image.');
    else if (imageAlt.length > 500) errors.add('imageAlt', 'Use at most 500 characters for the alt text.');
  }

  if (slug !== undefined) {
    const owner = await findArticleIdBySlug(db, slug);
    if (owner && owner.id !== current?.id) errors.add('slug', slugTakenFields(slug).slug);
  }
  errors.throwIfAny();
  return {
    title,
    slug: slug ?? '',
    summary,
    body_markdown: body,
    authors,
    issue_id: issueId,
    position,
    additional_resources: JSON.stringify('links' in resources ? resources.links : []),
    show_disclaimer: form.showDisclaimer ? 1 : 0,
    image_upload_id: imageUploadId,
    image_alt: imageUploadId === null ? null : imageAlt,
    topicIds,
  };
}

/** The slug clash a lost race produces, as the same field error the check gives. */
export const slugTakenFields = (slug: string) => ({ slug: `Another article already uses the slug “${slug}”. Choose another.` });
