import { Alert } from '../../../platform/views/components/alert.tsx';
import { Layout } from '../../../platform/views/layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { UnsubscribeTarget } from '../find-unsubscribe-target.ts';

function Scope({ target, siteName }: { target: UnsubscribeTarget; siteName: string }) {
  if (!target.topic) return <>all email from the {siteName}</>;
  if (target.topic.name === null) return <>email about a topic that has since been removed</>;
  return <>email about “{target.topic.name}”</>;
}

/**
 * What an unsubscribe link opens. Opening it changes nothing (mail scanners follow links); the
 * button posts to the same address. The form needs no CSRF token: the signed token in the address is
 * the authentication, exactly as for a mailbox provider's one-click POST.
 */
export function UnsubscribePage(props: { ctx: PageContext; token: string; target: UnsubscribeTarget }) {
  const { ctx, target } = props;
  return (
    <Layout ctx={ctx} title="Unsubscribe">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>Unsubscribe</h1>
          {target.alreadyUnsubscribed ? (
            <div class="margin-bottom-3">
              <Alert type="info" slim>
                You are already unsubscribed: you no longer get <Scope target={target} siteName={ctx.settings.siteName} />.
              </Alert>
            </div>
          ) : null}
          <p class="usa-intro">
            Select Unsubscribe to stop <Scope target={target} siteName={ctx.settings.siteName} />.
          </p>
          {target.topic ? <p>Your other topics stay as they are.</p> : <p>You will get no more email from any of our topics or lists.</p>}
          <form method="post" action={`/unsubscribe/${props.token}`} class="usa-form" aria-label="Unsubscribe">
            <button type="submit" class="usa-button margin-top-2">
              Unsubscribe
            </button>
          </form>
          <p class="margin-top-4">
            <a href={target.preferencesUrl}>Manage your preferences instead</a>: choose topics, get a monthly digest, or pause email for a
            while.
          </p>
        </div>
      </div>
    </Layout>
  );
}

/** After the Unsubscribe button (a one-click POST gets a short plain-text answer instead). */
export function UnsubscribedPage(props: { ctx: PageContext; target: UnsubscribeTarget; unsubscribedFromEverything: boolean }) {
  const { ctx, target } = props;
  return (
    <Layout ctx={ctx} title="You're unsubscribed">
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <h1>You're unsubscribed</h1>
          <Alert type="success" slim>
            You will no longer get <Scope target={target} siteName={ctx.settings.siteName} />.
          </Alert>
          {target.topic && props.unsubscribedFromEverything ? (
            <p class="margin-top-3">That was your last topic, so you now get no email from us at all.</p>
          ) : null}
          <ul class="usa-list margin-top-3">
            <li>
              <a href={target.preferencesUrl}>Manage your preferences</a> to choose other topics or download or delete your data.
            </li>
            <li>
              Changed your mind? <a href="/subscribe">Subscribe again</a>.
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
