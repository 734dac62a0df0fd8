import { Layout } from './layout.tsx';
import type { PageContext } from './page-context.ts';

const headings: Record<number, string> = {
  400: 'We could not read that request',
  401: 'Please sign in',
  403: 'You cannot do that',
  404: 'Page not found',
  409: 'That has already happened',
  413: 'That is too large',
  429: 'Too many attempts',
  500: 'Something went wrong',
};

/** The one error page: a heading, a message a person understands, and for server faults a reference. */
export function ErrorPage(props: { ctx: PageContext; status: number; message: string; reference?: string | undefined }) {
  const heading = headings[props.status] ?? (props.status >= 500 ? headings[500] : 'We could not do that');
  return (
    <Layout ctx={props.ctx} title={heading ?? 'Error'}>
      <h1>{heading}</h1>
      <p class="usa-intro">{props.message}</p>
      {props.reference ? (
        <p>
          If you contact us about this, please quote reference <code>{props.reference}</code>.
        </p>
      ) : null}
      <p>
        <a href="/">Go to the current issue</a>
      </p>
    </Layout>
  );
}
