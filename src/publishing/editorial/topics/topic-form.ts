import type { Db } from '../../../platform/db/database.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import type { PostedForm } from '../shared/posted-form.ts';
import { slugField } from '../shared/slug.ts';

export interface TopicForm {
  name: string;
  slug: string;
  description: string;
}

export const emptyTopicForm: TopicForm = { name: '', slug: '', description: '' };

export function topicFormFromPost(form: PostedForm): TopicForm {
  return { name: form.fields.name ?? '', slug: form.fields.slug ?? '', description: form.fields.description ?? '' };
}

export const topicSlugTaken = (slug: string) => `Another topic already uses the slug “${slug}”. Choose another.`;

/** Checks the topic form; the slug defaults to one made from the name and must be free. */
export async function validateTopicForm(db: Db, form: TopicForm, currentId: string | null) {
  const errors = new FieldErrors();
  const name = errors.required('name', form.name, 'a name', 100);
  const slug = slugField(errors, form.slug, name);
  const description = errors.optional('description', form.description, 'the description', 1000);
  if (slug !== undefined) {
    const owner = await db.selectFrom('publishing_topics').select('id').where('slug', '=', slug).executeTakeFirst();
    if (owner && owner.id !== currentId) errors.add('slug', topicSlugTaken(slug));
  }
  errors.throwIfAny();
  return { name, slug: slug ?? '', description };
}
