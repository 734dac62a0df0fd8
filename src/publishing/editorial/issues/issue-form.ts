import type { Db } from '../../../platform/db/database.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import type { PostedForm } from '../shared/posted-form.ts';

/** The issue form as typed. Volume and number may be left blank to take their defaults. */
export interface IssueForm {
  month: string;
  volume: string;
  number: string;
}

export function issueFormFromPost(form: PostedForm): IssueForm {
  return { month: form.fields.month ?? '', volume: form.fields.volume ?? '', number: form.fields.number ?? '' };
}

export function issueFormFromRow(row: { month: string; volume: number; number: number }): IssueForm {
  return { month: row.month.slice(0, 7), volume: String(row.volume), number: String(row.number) };
}

/** Volume 1 appeared in `firstVolumeYear`; each calendar year is one volume (2024 with 2008 → 17). */
export function defaultVolume(year: number, firstVolumeYear: number): number {
  return year - firstVolumeYear + 1;
}

export const volumeTakenMessage = (volume: number, number: number) =>
  `Volume ${volume} already has an Issue ${number}. Choose another number.`;

/**
 * Checks the issue form: a real month, and a volume and number (defaults: the volume from the
 * year, the number from the month) not used by another issue. Throws VALIDATION with every problem.
 */
export async function validateIssueForm(
  db: Db,
  form: IssueForm,
  options: { firstVolumeYear: number; currentId: string | null },
): Promise<{ month: string; volume: number; number: number }> {
  const errors = new FieldErrors();
  const match = /^(\d{4})-(\d{2})$/.exec(form.month.trim());
  const year = match ? Number(match[1]) : Number.NaN;
  const monthNumber = match ? Number(match[2]) : Number.NaN;
  if (!match || monthNumber < 1 || monthNumber > 12 || year < 1900 || year > 2200) {
    errors.add('month', 'Enter the month as YYYY-MM, like 2024-01.');
  }
  // With no usable month the month's own error is enough; blank volume and number then wait for it.
  const fallbackVolume = Number.isNaN(year) ? 1 : Math.max(1, defaultVolume(year, options.firstVolumeYear));
  const fallbackNumber = Number.isNaN(monthNumber) ? 1 : Math.min(Math.max(monthNumber, 1), 12);
  const volume = errors.integer('volume', form.volume, 'the volume', { min: 1, max: 999, fallback: fallbackVolume });
  const number = errors.integer('number', form.number, 'the issue number', { min: 1, max: 99, fallback: fallbackNumber });
  if (!errors.has('volume') && !errors.has('number') && !errors.has('month')) {
    const clash = await db
      .selectFrom('publishing_issues')
      .select('id')
      .where('volume', '=', volume)
      .where('number', '=', number)
      .executeTakeFirst();
    if (clash && clash.id !== options.currentId) errors.add('number', volumeTakenMessage(volume, number));
  }
  errors.throwIfAny();
  return { month: `${form.month.trim()}-01`, volume, number };
}
