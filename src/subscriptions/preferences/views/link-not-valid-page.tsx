import { Layout } from '../../../platform/views/layout.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';

/**
 * The one answer (404) to every link that does not work: forged, garbled, truncated, expired, used,
 * for another purpose, or for an address that was deleted. It never says which, so the page tells a
 * prober nothing about subscribers or tokens.
 */
export function LinkNotValidPage(props: { ctx: PageContext }) {
  return (
    <Layout ctx={props.ctx} title="This link is not valid">
      <div class="grid-row">
        <div class="tablet:grid-col-10 desktop:grid-col-8">
          <h1>This link is not valid</h1>
          <p class="usa-intro">This link cannot be used. Links from our e-mails can expire, work only once, or be cut short when copied.</p>
          <p>
            To change your subscription, <a href="/preferences">ask for a new link to your subscription preferences</a>.
          </p>
        </div>
      </div>
    </Layout>
  );
}
