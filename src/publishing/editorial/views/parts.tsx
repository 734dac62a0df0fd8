import type { ComponentChildren } from 'preact';
import { Alert } from '../../../platform/views/components/alert.tsx';

/** A state shown as a USWDS tag; the word carries the meaning, not the colour. */
export function StatusTag({ label }: { label: string }) {
  return <span class="usa-tag">{label}</span>;
}

/** An instant for staff: "Jan 22, 2024, 11:00 AM EST" (Eastern time), with the exact UTC time in the markup. */
export function When({ at, timeZone = 'America/New_York' }: { at: string | null; timeZone?: string }) {
  if (!at) return <>—</>;
  const text = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  return (
    <time dateTime={at}>
      {text} {zone?.value ?? ''}
    </time>
  );
}

/** The success note shown after a redirect (?notice=…); unknown notices show nothing. */
export function Notice({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div class="margin-bottom-3">
      <Alert type="success" slim>
        {text}
      </Alert>
    </div>
  );
}

/** A single-button form (for workflow actions). */
export function ActionButton(props: { action: string; csrfToken: string; label: string; outline?: boolean; secondary?: boolean }) {
  const classes = ['usa-button', props.outline ? 'usa-button--outline' : '', props.secondary ? 'usa-button--secondary' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <form method="post" action={props.action} class="display-inline-block margin-right-1 margin-bottom-1">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <button type="submit" class={classes}>
        {props.label}
      </button>
    </form>
  );
}

/** A definition list row for summaries. */
export function Fact(props: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt class="text-bold">{props.term}</dt>
      <dd class="margin-left-0 margin-bottom-1">{props.children}</dd>
    </>
  );
}
