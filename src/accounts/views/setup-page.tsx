import { PASSWORD_MIN_LENGTH } from '../../platform/auth/passwords.ts';
import { ErrorSummary, PostForm, TextField } from '../../platform/views/components/forms.tsx';
import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';

export const passwordHint = `At least ${PASSWORD_MIN_LENGTH} characters. No other rules: a few unrelated words work well, and a password manager is welcome.`;

/** Finish an invitation: name (and e-mail for the first administrator) and a password. */
export function SetupPage(props: {
  ctx: PageContext;
  token: string;
  role: string | null;
  email: string | null;
  values: { email?: string; displayName?: string };
  errors: Record<string, string>;
}) {
  const first = props.email === null;
  return (
    <Layout ctx={props.ctx} title={first ? 'Create the first administrator' : 'Set up your account'}>
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>{first ? 'Create the first administrator' : 'Set up your account'}</h1>
          <p>
            {first
              ? 'This link was printed when Dispatch started for the first time. It works once.'
              : `You have been invited as ${props.role ?? 'a staff member'} with the address ${props.email}.`}{' '}
            After this step you will set up an authenticator app as a second factor.
          </p>
          <ErrorSummary fields={props.errors} />
          <PostForm action={`/setup/${props.token}`} csrfToken={props.ctx.csrfToken} label="Account setup">
            {first ? (
              <TextField
                name="email"
                label="E-mail address"
                type="email"
                autocomplete="username"
                value={props.values.email}
                error={props.errors.email}
                spellcheck={false}
              />
            ) : null}
            <TextField
              name="displayName"
              label="Your name"
              autocomplete="name"
              value={props.values.displayName}
              error={props.errors.displayName}
            />
            <TextField
              name="password"
              label="Choose a password"
              type="password"
              autocomplete="new-password"
              hint={passwordHint}
              error={props.errors.password}
            />
            <button type="submit" class="usa-button margin-top-3">
              Create account
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}
