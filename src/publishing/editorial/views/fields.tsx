import { FieldFrame } from '../../../platform/views/components/forms.tsx';
import type { TopicOption } from '../shared/topic-links.ts';

// Form controls the platform's components do not cover (date, time, month, file inputs and
// checkbox groups), in the platform's FieldFrame: label, hint, error tied in by aria-describedby.

/** An input of any type, in the USWDS form-group. The id is `field-<name>` like the platform's fields. */
export function InputField(props: {
  name: string;
  label: string;
  type: 'date' | 'time' | 'month' | 'url' | 'number' | 'text';
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  step?: number;
  min?: number;
  max?: number;
  /** Extra USWDS width class, e.g. "usa-input--small". */
  width?: string;
}) {
  const id = `field-${props.name}`;
  const classes = ['usa-input', props.error ? 'usa-input--error' : '', props.width ?? ''].filter(Boolean).join(' ');
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error} optional={props.required === false}>
      {(describedBy) => (
        <input
          class={classes}
          id={id}
          name={props.name}
          type={props.type}
          value={props.value}
          required={props.required !== false}
          step={props.step}
          min={props.min}
          max={props.max}
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
        />
      )}
    </FieldFrame>
  );
}

/** A USWDS file input (works without JavaScript as a plain file chooser). */
export function FileField(props: { name: string; label: string; accept: string; hint?: string; error?: string | undefined }) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      {(describedBy) => (
        <input
          class={props.error ? 'usa-file-input usa-input--error' : 'usa-file-input'}
          id={id}
          name={props.name}
          type="file"
          accept={props.accept}
          required
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
        />
      )}
    </FieldFrame>
  );
}

/** A fieldset of topic checkboxes named "topics". Its id lets the error summary link to it. */
export function TopicCheckboxes(props: { topics: TopicOption[]; checked: string[]; error?: string | undefined }) {
  const errorId = props.error ? 'field-topics-error' : undefined;
  return (
    <fieldset
      class={props.error ? 'usa-fieldset usa-form-group usa-form-group--error' : 'usa-fieldset usa-form-group'}
      id="field-topics"
      aria-describedby={errorId}
    >
      <legend class="usa-legend">
        Topics <span class="text-base">(optional)</span>
      </legend>
      {props.error ? (
        <span class="usa-error-message" id={errorId} role="alert">
          <span class="usa-sr-only">Error:</span> {props.error}
        </span>
      ) : null}
      {props.topics.length === 0 ? (
        <p class="usa-hint">
          No topics yet. <a href="/admin/topics/new">Add a topic</a>.
        </p>
      ) : (
        props.topics.map((topic) => (
          <div class="usa-checkbox">
            <input
              class="usa-checkbox__input"
              id={`topic-${topic.id}`}
              type="checkbox"
              name="topics"
              value={topic.id}
              checked={props.checked.includes(topic.id)}
            />
            <label class="usa-checkbox__label" for={`topic-${topic.id}`}>
              {topic.name}
            </label>
          </div>
        ))
      )}
    </fieldset>
  );
}
