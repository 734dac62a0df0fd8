import { type Actor, assertMayPublish, PUBLISHED_CONTENT_MESSAGE } from './actor.ts';
import type { FieldErrors } from './field-errors.ts';

export type SimpleStatus = 'draft' | 'published';

export const SIMPLE_STATUS_OPTIONS = [
  { value: 'draft', label: 'Draft: only staff see it' },
  { value: 'published', label: 'Published: readers see it' },
];

/**
 * The state an event or resource form asks for, checked against who asks. Editors may not change
 * the state (their form does not offer it; a forged field is refused), nor touch what is published.
 */
export function resolveSimpleStatus(current: SimpleStatus | null, requested: string, actor: Actor, errors: FieldErrors): SimpleStatus {
  if (current === 'published') assertMayPublish(actor, PUBLISHED_CONTENT_MESSAGE);
  const fallback = current ?? 'draft';
  if (requested === '') return fallback;
  if (requested !== 'draft' && requested !== 'published') {
    errors.add('status', 'Choose draft or published.');
    return fallback;
  }
  if (requested !== fallback) assertMayPublish(actor, 'Only a publisher can publish or unpublish.');
  return requested;
}

/** The audit action for a saved event or resource: a state change names itself, anything else is an edit. */
export function simpleChange(kind: 'event' | 'resource', before: SimpleStatus | null, after: SimpleStatus): string {
  if (before === null) return `${kind}.created`;
  if (before !== after) return `${kind}.${after === 'published' ? 'published' : 'unpublished'}`;
  return `${kind}.edited`;
}
