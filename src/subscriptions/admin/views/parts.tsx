import { Alert } from '../../../platform/views/components/alert.tsx';

/** A stored ISO time as staff read it: "2026-03-02 10:00 UTC". */
export const when = (at: string) => `${at.replace('T', ' ').slice(0, 16)} UTC`;

/** A success notice after a redirect (?notice=…), or nothing. */
export function Notice({ text }: { text?: string | undefined }) {
  return text ? (
    <div class="margin-bottom-3">
      <Alert type="success" slim>
        {text}
      </Alert>
    </div>
  ) : null;
}

/** A USWDS radio group in a fieldset whose legend is the question; the error is announced with it. */
export function RadioGroup(props: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  const id = `field-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <fieldset class="usa-fieldset" aria-describedby={describedBy}>
        <legend class={props.error ? 'usa-legend usa-label--error' : 'usa-legend'}>{props.legend}</legend>
        {props.hint ? (
          <div class="usa-hint" id={hintId}>
            {props.hint}
          </div>
        ) : null}
        {props.error ? (
          <span class="usa-error-message" id={errorId} role="alert">
            <span class="usa-sr-only">Error:</span> {props.error}
          </span>
        ) : null}
        {props.options.map((option, i) => (
          // The first radio carries the group's id, so the error summary's link lands on the group.
          <div class="usa-radio">
            <input
              class="usa-radio__input"
              id={i === 0 ? id : `${id}-${option.value}`}
              type="radio"
              name={props.name}
              value={option.value}
              checked={option.value === props.value}
            />
            <label class="usa-radio__label" for={i === 0 ? id : `${id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
