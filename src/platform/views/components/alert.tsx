import type { ComponentChildren } from 'preact';

/** A USWDS alert. `role` is "status" for news, "alert" for problems the reader must act on. */
export function Alert(props: {
  type: 'info' | 'success' | 'warning' | 'error';
  heading?: string;
  slim?: boolean;
  children: ComponentChildren;
}) {
  const classes = ['usa-alert', `usa-alert--${props.type}`, props.slim ? 'usa-alert--slim' : ''].join(' ').trim();
  return (
    <div class={classes} role={props.type === 'error' ? 'alert' : 'status'}>
      <div class="usa-alert__body">
        {props.heading ? <h2 class="usa-alert__heading">{props.heading}</h2> : null}
        <div class="usa-alert__text">{props.children}</div>
      </div>
    </div>
  );
}
