import type { ComponentChildren } from 'preact';
import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';
import { SubscribeBox } from './parts.tsx';

/**
 * The frame of every public reading page: the site layout with the "Subscribe to Email Updates"
 * box at the end of the main content, as the printed newsletter ends with it. One place, so every
 * public page has exactly one box (two would repeat its ids and its "Email address" field).
 * The subscription pages themselves and the admin use the plain Layout.
 */
export function PublicLayout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={props.ctx} title={props.title}>
      {props.children}
      <div class="grid-row">
        <div class="tablet:grid-col-8 desktop:grid-col-6">
          <SubscribeBox level={2} />
        </div>
      </div>
    </Layout>
  );
}
