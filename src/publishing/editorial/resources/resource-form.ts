import type { Db } from '../../../platform/db/database.ts';
import type { ResourceKind } from '../../../platform/db/schema.ts';
import type { FieldErrors } from '../shared/field-errors.ts';
import type { PostedForm } from '../shared/posted-form.ts';
import { checkTopicIds } from '../shared/topic-links.ts';
import type { ResourceRow } from './resource-queries.ts';

export const RESOURCE_KINDS: readonly { value: ResourceKind; label: string }[] = [
  { value: 'publication', label: 'Publication' },
  { value: 'toolkit', label: 'Toolkit' },
  { value: 'video', label: 'Video' },
  { value: 'webinar', label: 'Webinar' },
  { value: 'website', label: 'Website' },
  { value: 'other', label: 'Other' },
];

/** The resource form as typed. `status` is "" when the form did not offer it (editors). */
export interface ResourceForm {
  title: string;
  url: string;
  publisher: string;
  kind: string;
  description: string;
  topics: string[];
  status: string;
}

export const emptyResourceForm: ResourceForm = {
  title: '',
  url: '',
  publisher: '',
  kind: 'publication',
  description: '',
  topics: [],
  status: '',
};

export function resourceFormFromPost(form: PostedForm): ResourceForm {
  const f = form.fields;
  return {
    title: f.title ?? '',
    url: f.url ?? '',
    publisher: f.publisher ?? '',
    kind: f.kind ?? '',
    description: f.description ?? '',
    topics: form.all('topics'),
    status: f.status ?? '',
  };
}

export function resourceFormFromRow(row: ResourceRow, topicIds: string[]): ResourceForm {
  return {
    title: row.title,
    url: row.url,
    publisher: row.publisher,
    kind: row.kind,
    description: row.description,
    topics: topicIds,
    status: row.status,
  };
}

/** Checks the resource form (state aside), adding problems to `errors`. */
export async function validateResourceForm(db: Db, form: ResourceForm, errors: FieldErrors) {
  const title = errors.required('title', form.title, 'a title', 300);
  const url = errors.optionalUrl('url', form.url, 'the address');
  if (url === null && !errors.has('url')) errors.add('url', 'Enter the address, starting with https:// or http://.');
  const publisher = errors.optional('publisher', form.publisher, 'the publisher', 200);
  const kind = errors.oneOf(
    'kind',
    form.kind,
    RESOURCE_KINDS.map((k) => k.value),
    'Choose the kind of resource.',
  );
  const description = errors.optional('description', form.description, 'the description', 2000);
  const topicIds = await checkTopicIds(db, form.topics, errors);
  return { title, url: url ?? '', publisher, kind, description, topicIds };
}
