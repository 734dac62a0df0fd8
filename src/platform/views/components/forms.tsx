import type { ComponentChildren } from 'preact';

/** The hidden anti-forgery field every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export interface FrameProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  optional?: boolean | undefined;
  /** Renders the control, given the ids to put in its aria-describedby. */
  children: (describedBy: string | undefined) => ComponentChildren;
}

/**
 * The USWDS form-group around one control: label, hint and error, with the hint and error ids
 * joined into the control's aria-describedby and the error announced with a screen-reader prefix.
 */
export function FieldFrame(props: FrameProps) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'usa-form-group usa-form-group--error' : 'usa-form-group'}>
      <label class={props.error ? 'usa-label usa-label--error' : 'usa-label'} for={props.id}>
        {props.label}
        {props.optional ? <span class="text-base"> (optional)</span> : null}
      </label>
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
      {props.children(describedBy)}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'tel' | 'url' | 'number';
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'text' | 'email';
  maxLength?: number;
  spellcheck?: boolean;
}

/** A USWDS text input with its label, hint and error. */
export function TextField(props: FieldProps) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error} optional={props.required === false}>
      {(describedBy) => (
        <input
          class={props.error ? 'usa-input usa-input--error' : 'usa-input'}
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          autocomplete={props.autocomplete}
          required={props.required !== false}
          inputMode={props.inputMode}
          maxLength={props.maxLength}
          spellcheck={props.spellcheck}
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
        />
      )}
    </FieldFrame>
  );
}

/** A USWDS textarea with its label, hint and error. */
export function TextAreaField(props: {
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  error?: string | undefined;
  rows?: number;
  required?: boolean;
}) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error} optional={props.required === false}>
      {(describedBy) => (
        <textarea
          class={props.error ? 'usa-textarea usa-input--error' : 'usa-textarea'}
          id={id}
          name={props.name}
          rows={props.rows ?? 5}
          required={props.required !== false}
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
        >
          {props.value ?? ''}
        </textarea>
      )}
    </FieldFrame>
  );
}

/** The 6-digit authenticator code field, the same on the sign-in and enrolment pages. */
export function TotpCodeField({ error }: { error?: string | undefined }) {
  return (
    <TextField
      name="code"
      label="6-digit code"
      inputMode="numeric"
      autocomplete="one-time-code"
      maxLength={8}
      error={error}
      spellcheck={false}
    />
  );
}

interface SelectProps {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
}

/** A USWDS select with its label, hint and error. */
export function SelectField(props: SelectProps) {
  const id = `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      {(describedBy) => (
        <select class="usa-select" id={id} name={props.name} aria-describedby={describedBy}>
          {props.options.map((o) => (
            <option value={o.value} selected={o.value === props.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** A single USWDS checkbox. */
export function Checkbox({ name, label, checked, hint }: { name: string; label: string; checked?: boolean; hint?: string }) {
  const id = `field-${name}`;
  return (
    <div class="usa-checkbox">
      <input class="usa-checkbox__input" id={id} type="checkbox" name={name} value="on" checked={checked} />
      <label class="usa-checkbox__label" for={id}>
        {label}
        {hint ? <span class="usa-checkbox__label-description">{hint}</span> : null}
      </label>
    </div>
  );
}

/** A form that posts to `action` with the anti-forgery token already inside. */
export function PostForm(props: { action: string; csrfToken: string; children: ComponentChildren; class?: string; label?: string }) {
  return (
    <form class={props.class ?? 'usa-form'} method="post" action={props.action} aria-label={props.label}>
      <CsrfField token={props.csrfToken} />
      {props.children}
    </form>
  );
}

/**
 * The error summary at the top of a failed form: a focusable alert listing each problem with a
 * link to its field (GOV.UK / USWDS pattern).
 */
export function ErrorSummary({ fields, message }: { fields: Record<string, string>; message?: string | undefined }) {
  const entries = Object.entries(fields);
  if (entries.length === 0 && !message) return null;
  return (
    <div class="usa-alert usa-alert--error" role="alert" tabindex={-1} id="error-summary">
      <div class="usa-alert__body">
        <h2 class="usa-alert__heading">There is a problem</h2>
        {message ? <p class="usa-alert__text">{message}</p> : null}
        {entries.length > 0 ? (
          <ul class="usa-list">
            {entries.map(([name, text]) => (
              <li>
                <a href={`#field-${name}`}>{text}</a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
