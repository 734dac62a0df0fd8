import { Alert } from '../../../platform/views/components/alert.tsx';
import { ErrorSummary, PostForm, TextField } from '../../../platform/views/components/forms.tsx';
import { Layout } from '../../../platform/views/layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { MAX_ADDRESS } from '../../subscriber-email.ts';

/** Notices /preferences can show, by the `notice` query value; unknown values show nothing. */
export const REQUEST_PAGE_NOTICES = {
  expired: { type: 'warning', text: 'Your link has expired; enter your address to get a new one' },
  'signed-out': { type: 'info', text: 'You have signed out of your subscription preferences.' },
} as const;
export type RequestPageNotice = keyof typeof REQUEST_PAGE_NOTICES;

/** /preferences: enter your address, get a sign-in link by e-mail. */
export function PreferencesRequestPage(props: {
  ctx: PageContext;
  email?: string | undefined;
  errors: Record<string, string>;
  notice?: RequestPageNotice | undefined;
}) {
  const notice = props.notice ? REQUEST_PAGE_NOTICES[props.notice] : undefined;
  const failed = Object.keys(props.errors).length > 0;
  return (
    <Layout ctx={props.ctx} title={failed ? 'Error: Manage your subscription' : 'Manage your subscription'}>
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Manage your subscription</h1>
          {notice ? (
            <div class="margin-bottom-3">
              <Alert type={notice.type} slim>
                {notice.text}
              </Alert>
            </div>
          ) : null}
          <p class="usa-intro">Enter the email address you subscribed with. We will email you a link to your subscription preferences.</p>
          <p>There you can choose topics and how often you hear from us, pause or stop email, download your data or delete your address.</p>
          <ErrorSummary fields={props.errors} />
          <PostForm action="/preferences" csrfToken={props.ctx.csrfToken} label="Get a link to your subscription preferences">
            <TextField
              name="email"
              label="Email address"
              type="email"
              autocomplete="email"
              value={props.email}
              error={props.errors.email}
              maxLength={MAX_ADDRESS}
              spellcheck={false}
            />
            <button type="submit" class="usa-button margin-top-3">
              Email me a link
            </button>
          </PostForm>
          <p class="margin-top-4">
            Not subscribed yet? <a href="/subscribe">Subscribe to email updates</a>.
          </p>
        </div>
      </div>
    </Layout>
  );
}

/**
 * After POST /preferences, for every well-formed address alike: it says nothing about whether the
 * address is subscribed (the page must be byte-for-byte the same either way).
 */
export function CheckEmailPage(props: { ctx: PageContext }) {
  return (
    <Layout ctx={props.ctx} title="Check your email">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Check your email</h1>
          <p class="usa-intro">If that address is subscribed, we have sent it a link to your subscription preferences.</p>
          <p>The link expires in 10 minutes and can be used once. It may take a few minutes to arrive; check your spam folder too.</p>
          <p>
            Nothing arrived? <a href="/preferences">Ask for another link</a>, or <a href="/subscribe">subscribe</a> if you have not yet.
          </p>
        </div>
      </div>
    </Layout>
  );
}

/**
 * What a mailed sign-in link opens. Opening it changes nothing (mail scanners follow links); the
 * Continue button spends the link, which also means a link opened in another browser than the one
 * that asked for it needs this deliberate step.
 */
export function SignInLinkPage(props: { ctx: PageContext; token: string }) {
  return (
    <Layout ctx={props.ctx} title="Open your subscription preferences">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Open your subscription preferences</h1>
          <p class="usa-intro">Select Continue to open the preferences of your email subscription.</p>
          <p>This link works once. After you continue, you can make changes for 30 minutes before you need a new link.</p>
          <PostForm
            action={`/preferences/sign-in/${props.token}`}
            csrfToken={props.ctx.csrfToken}
            label="Open your subscription preferences"
          >
            <button type="submit" class="usa-button margin-top-2">
              Continue
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}

/** After "Delete me". */
export function SubscriberDeletedPage(props: { ctx: PageContext }) {
  return (
    <Layout ctx={props.ctx} title="Your address has been deleted">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Your address has been deleted</h1>
          <p class="usa-intro">We have deleted your email address, your topics and your subscription history.</p>
          <p>
            We keep only a one-way code made from your address, so that it is never added back to our lists without your consent. You can
            still <a href="/subscribe">subscribe again</a> at any time.
          </p>
        </div>
      </div>
    </Layout>
  );
}
