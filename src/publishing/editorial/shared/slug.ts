import type { FieldErrors } from './field-errors.ts';

/** Slugs in addresses: lowercase ASCII letters, digits and hyphens, starting with a letter or digit. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,199}$/;

export const SLUG_HINT = 'Lowercase letters, digits and hyphens, as in the address. Leave blank to make one from the title.';

/** "Building a Strong SRO MOU — 2024!" → "building-a-strong-sro-mou-2024". Empty when nothing usable remains. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 200)
    .replace(/-+$/, '');
}

/**
 * The slug field of a form: the slug to store, or undefined with the problem added to `errors`.
 * With neither slug nor title there is nothing to say here: the title's own error covers it.
 */
export function slugField(errors: FieldErrors, typed: string, title: string): string | undefined {
  if (typed.trim() === '' && title.trim() === '') return undefined;
  const choice = chooseSlug(typed, title);
  if ('error' in choice) {
    errors.add('slug', choice.error);
    return undefined;
  }
  return choice.slug;
}

/**
 * The slug to store: the one typed, or one made from the title. Returns an error message instead
 * when the result does not fit SLUG_PATTERN.
 */
export function chooseSlug(typed: string, title: string): { slug: string } | { error: string } {
  const slug = typed.trim() === '' ? slugify(title) : typed.trim();
  if (slug === '') return { error: 'Enter a slug: the title has no letters or digits to make one from.' };
  if (!SLUG_PATTERN.test(slug)) {
    return { error: 'Use only lowercase letters, digits and hyphens (at most 200), starting with a letter or digit.' };
  }
  return { slug };
}
