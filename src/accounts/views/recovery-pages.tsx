import { Alert } from '../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, TextField } from '../../platform/views/components/forms.tsx';
import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { passwordHint } from './setup-page.tsx';

/** Ask for a recovery link; after posting, the same page says a message is on its way (or not). */
export function RecoveryRequestPage(props: { ctx: PageContext; sent: boolean; error?: string }) {
  return (
    <Layout ctx={props.ctx} title="Reset your password">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Reset your password</h1>
          {props.sent ? (
            <Alert type="info" heading="Check your e-mail">
              If that address belongs to a staff account, we have sent it a link to reset the password. The link works once, for 10 minutes.
            </Alert>
          ) : (
            <>
              <p>Enter the e-mail address of your staff account. We will send a link that lets you choose a new password.</p>
              <ErrorSummary fields={props.error ? { email: props.error } : {}} />
              <PostForm action="/account/recover" csrfToken={props.ctx.csrfToken} label="Password recovery">
                <TextField
                  name="email"
                  label="E-mail address"
                  type="email"
                  autocomplete="username"
                  error={props.error}
                  spellcheck={false}
                />
                <button type="submit" class="usa-button margin-top-3">
                  Send reset link
                </button>
              </PostForm>
            </>
          )}
        </div>
      </div>
    </Layout>
  );
}

/** The page a recovery link opens: choose a new password. Opening it changes nothing. */
export function ResetPasswordPage(props: { ctx: PageContext; token: string; error?: string }) {
  return (
    <Layout ctx={props.ctx} title="Choose a new password">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Choose a new password</h1>
          <p>Saving signs you out everywhere. Then sign in with the new password and your authenticator app.</p>
          <ErrorSummary fields={props.error ? { newPassword: props.error } : {}} />
          <PostForm action={`/account/recover/${props.token}`} csrfToken={props.ctx.csrfToken} label="New password">
            <TextField
              name="newPassword"
              label="New password"
              type="password"
              autocomplete="new-password"
              hint={passwordHint}
              error={props.error}
            />
            <button type="submit" class="usa-button margin-top-3">
              Save new password
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}
