import { Alert } from '../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, TextField, TotpCodeField } from '../../platform/views/components/forms.tsx';
import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';

/** Staff sign-in: e-mail and password. */
export function SignInPage(props: { ctx: PageContext; email?: string; error?: string; notice?: string; next?: string }) {
  const action = props.next ? `/login?next=${encodeURIComponent(props.next)}` : '/login';
  return (
    <Layout ctx={props.ctx} title="Staff sign in">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Staff sign in</h1>
          {props.notice ? (
            <Alert type="success" slim>
              {props.notice}
            </Alert>
          ) : null}
          <ErrorSummary fields={{}} message={props.error} />
          <PostForm action={action} csrfToken={props.ctx.csrfToken} label="Sign in">
            <TextField name="email" label="E-mail address" type="email" autocomplete="username" value={props.email} spellcheck={false} />
            <TextField name="password" label="Password" type="password" autocomplete="current-password" />
            <button type="submit" class="usa-button margin-top-3">
              Sign in
            </button>
          </PostForm>
          <p class="margin-top-3">
            <a href="/account/recover">Forgot your password?</a>
          </p>
        </div>
      </div>
    </Layout>
  );
}

/** Second step of sign-in: the 6-digit code from the authenticator app. */
export function SecondFactorPage(props: { ctx: PageContext; error?: string; next?: string }) {
  const action = props.next ? `/login/second-factor?next=${encodeURIComponent(props.next)}` : '/login/second-factor';
  return (
    <Layout ctx={props.ctx} title="Enter your code">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Enter your code</h1>
          <p>Open your authenticator app and enter the 6-digit code it shows for this site.</p>
          <ErrorSummary fields={props.error ? { code: props.error } : {}} />
          <PostForm action={action} csrfToken={props.ctx.csrfToken} label="Second factor">
            <TotpCodeField error={props.error} />
            <button type="submit" class="usa-button margin-top-3">
              Verify
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}
