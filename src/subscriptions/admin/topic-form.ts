import { z } from 'zod';
import type { SubscriptionTopic, TopicFrequency, TopicVisibility } from '../../platform/db/schema.ts';
import { validation } from '../../platform/errors.ts';
import { TOPIC_FREQUENCY_LABELS } from '../topics.ts';

/** The topic form as typed: every field a string, so a refused form can be shown again unchanged. */
export interface TopicForm {
  name: string;
  slug: string;
  description: string;
  frequency: string;
  visibility: string;
  position: string;
}

export const TOPIC_FIELD_LIMITS = { name: 100, slug: 60, description: 1000, position: 9999 } as const;

export const TOPIC_SLUG_HINT = 'Lower-case letters, digits and hyphens, such as “school-safety”. Leave it empty to make one from the name.';

const frequencies = Object.keys(TOPIC_FREQUENCY_LABELS) as [TopicFrequency, ...TopicFrequency[]];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Every message names its field, because the error summary lists them away from the fields.
const topicSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter a name for the topic.')
    .max(TOPIC_FIELD_LIMITS.name, `Use at most ${TOPIC_FIELD_LIMITS.name} characters for the name.`),
  slug: z
    .string()
    .max(TOPIC_FIELD_LIMITS.slug, `Use at most ${TOPIC_FIELD_LIMITS.slug} characters for the slug.`)
    .regex(SLUG, 'The slug can only have lower-case letters, digits and single hyphens between them, such as “school-safety”.'),
  description: z
    .string()
    .trim()
    .max(TOPIC_FIELD_LIMITS.description, `Use at most ${TOPIC_FIELD_LIMITS.description} characters for the description.`),
  frequency: z.enum(frequencies, 'Choose how often the topic sends (frequency).'),
  visibility: z.enum(['public', 'private'], 'Choose who can see the topic (visibility): public or private.'),
  position: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, `Enter the position as a whole number from 0 to ${TOPIC_FIELD_LIMITS.position}.`)
    .transform(Number),
});

export interface TopicValues {
  name: string;
  slug: string;
  description: string;
  frequency: TopicFrequency;
  visibility: TopicVisibility;
  position: number;
}

/** "Grants & Funding 2026" → "grants-funding-2026"; accents dropped, anything else becomes a hyphen. */
export function slugFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, TOPIC_FIELD_LIMITS.slug)
    .replace(/-+$/, '');
}

/** Checks the form; VALIDATION with one message per field that is wrong. An empty slug is made from the name. */
export function parseTopicForm(form: TopicForm): TopicValues {
  const typedSlug = form.slug.trim();
  const parsed = topicSchema.safeParse({ ...form, slug: typedSlug === '' ? slugFromName(form.name) : typedSlug });
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    // A name with no letters or digits cannot give a slug; the name's own message (if any) is enough.
    if (field === 'slug' && typedSlug === '') {
      if (form.name.trim() !== '') fields.slug ??= 'Enter a slug: the name has no letters or digits to make one from.';
      continue;
    }
    fields[field] ??= issue.message;
  }
  throw validation(fields);
}

export const topicSlugTaken = (slug: string) => `Another topic already uses the slug “${slug}”. Choose a different slug.`;

/** A new topic's form: sends as items are published, public, placed after the existing topics. */
export function newTopicForm(nextPosition: number): TopicForm {
  return { name: '', slug: '', description: '', frequency: 'as_published', visibility: 'public', position: String(nextPosition) };
}

export function topicFormOf(topic: SubscriptionTopic): TopicForm {
  return {
    name: topic.name,
    slug: topic.slug,
    description: topic.description,
    frequency: topic.frequency,
    visibility: topic.visibility,
    position: String(topic.position),
  };
}

/** The posted fields as a topic form; anything missing reads as empty. */
export function topicFormFromFields(fields: Record<string, string>): TopicForm {
  return {
    name: fields.name ?? '',
    slug: fields.slug ?? '',
    description: fields.description ?? '',
    frequency: fields.frequency ?? '',
    visibility: fields.visibility ?? '',
    position: fields.position ?? '',
  };
}

/**
 * Whether a database error is a unique-constraint violation, on either engine: the slug check
 * before a write can lose a race, and the loser should see the field error, not a server fault.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
