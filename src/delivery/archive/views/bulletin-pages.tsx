import type { CampaignKind } from '../../../platform/db/schema.ts';
import { Pagination } from '../../../platform/views/components/pagination.tsx';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { publishedDateLabel } from '../../../publishing/format.ts';
import { PublicLayout } from '../../../publishing/views/public-layout.tsx';
import type { ArchivedBulletin } from '../find-archived-bulletin.ts';
import type { BulletinListing } from '../list-archived-bulletins.ts';

const kindLabels: Record<CampaignKind, string> = { bulletin: 'Bulletin', digest: 'Monthly digest', reminder: 'Event reminder' };

/** "Bulletin", "Monthly digest", "Event reminder". */
export function bulletinKindLabel(kind: string): string {
  return kindLabels[kind as CampaignKind] ?? 'Bulletin';
}

/** `/bulletins`: the e-mails sent to subscribers, newest first. */
export function BulletinArchivePage({ ctx, listing }: { ctx: PageContext; listing: BulletinListing }) {
  const { page, pageCount, total } = listing;
  const title = page > 1 ? `E-mail bulletins, page ${page} of ${pageCount}` : 'E-mail bulletins';
  return (
    <PublicLayout ctx={ctx} title={title}>
      <h1>E-mail bulletins</h1>
      <p class="usa-intro">The bulletins, monthly digests and event reminders the {ctx.settings.siteName} sent to its subscribers.</p>
      {pageCount > 1 ? (
        <p class="text-base">
          Page {page} of {pageCount}, {total} bulletins in all.
        </p>
      ) : null}
      {listing.bulletins.length === 0 ? <p>No bulletin has been sent yet.</p> : null}
      <ul class="usa-list usa-list--unstyled">
        {listing.bulletins.map((b) => (
          <li class="margin-bottom-3">
            <h2 class="font-heading-md margin-bottom-05">
              <a href={`/bulletins/${b.id}`}>{b.subject}</a>
            </h2>
            <p class="margin-top-0 text-base-dark">
              {bulletinKindLabel(b.kind)}, sent <time dateTime={b.sentAt}>{publishedDateLabel(b.sentAt)}</time>
            </p>
          </li>
        ))}
      </ul>
      <Pagination basePath="/bulletins" page={page} pageCount={pageCount} label="Pages of bulletins" />
    </PublicLayout>
  );
}

/** `/bulletins/:id`: one bulletin as it was sent, with links to the public pages in place of a subscriber's own. */
export function BulletinPage({ ctx, bulletin }: { ctx: PageContext; bulletin: ArchivedBulletin }) {
  return (
    <PublicLayout ctx={ctx} title={bulletin.subject}>
      <nav aria-label="Breadcrumbs" class="usa-breadcrumb padding-top-0">
        <ol class="usa-breadcrumb__list">
          <li class="usa-breadcrumb__list-item">
            <a href="/bulletins" class="usa-breadcrumb__link">
              <span>E-mail bulletins</span>
            </a>
          </li>
          <li class="usa-breadcrumb__list-item usa-current" aria-current="page">
            <span>{bulletin.subject}</span>
          </li>
        </ol>
      </nav>
      <p class="issue-dateline">
        {bulletinKindLabel(bulletin.kind)}, sent <time dateTime={bulletin.sentAt}>{publishedDateLabel(bulletin.sentAt)}</time>
      </p>
      <h1>{bulletin.subject}</h1>
      <div class="usa-prose bulletin-content" dangerouslySetInnerHTML={{ __html: bulletin.contentHtml }} />
      <p>
        <a href="/bulletins">All e-mail bulletins</a>
      </p>
    </PublicLayout>
  );
}
