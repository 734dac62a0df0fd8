import type { ComponentChildren } from 'preact';
import { Layout } from '../../platform/views/layout.tsx';
import type { PageContext } from '../../platform/views/page-context.ts';

const sections = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/issues', label: 'Issues' },
  { href: '/admin/articles', label: 'Articles' },
  { href: '/admin/events', label: 'Events' },
  { href: '/admin/resources', label: 'Resources' },
  { href: '/admin/topics', label: 'Topics' },
  { href: '/admin/uploads', label: 'Images' },
  { href: '/admin/contact', label: 'Contact inbox' },
  { href: '/admin/subscribers', label: 'Subscribers' },
  { href: '/admin/subscriptions/topics', label: 'Subscription topics' },
  { href: '/admin/campaigns', label: 'Campaigns' },
  { href: '/admin/users', label: 'Staff' },
  { href: '/admin/settings', label: 'Site settings' },
  { href: '/admin/mail', label: 'Dev mailbox' },
  { href: '/admin/audit', label: 'Audit log' },
];

/** The admin area: the site layout with a side navigation. */
export function AdminLayout(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={props.ctx} title={`${props.title} (admin)`}>
      <div class="grid-row grid-gap-lg">
        <nav class="tablet:grid-col-3" aria-label="Admin sections">
          <ul class="usa-sidenav">
            {sections.map((s) => {
              const current = s.href === '/admin' ? props.ctx.path === '/admin' : props.ctx.path.startsWith(s.href);
              return (
                <li class="usa-sidenav__item">
                  <a href={s.href} class={current ? 'usa-current' : undefined} aria-current={current ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="tablet:grid-col-9">{props.children}</div>
      </div>
    </Layout>
  );
}
