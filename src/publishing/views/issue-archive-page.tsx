import type { PageContext } from '../../platform/views/page-context.ts';
import { issueMonthLabel, volumeYear } from '../format.ts';
import type { ArchiveVolume } from '../site/list-issue-archive.ts';
import { FollowLinks } from './parts.tsx';
import { PublicLayout } from './public-layout.tsx';

/** `/issues`: every published issue by volume, newest first, with its article titles. */
export function IssueArchivePage({ ctx, volumes }: { ctx: PageContext; volumes: ArchiveVolume[] }) {
  return (
    <PublicLayout ctx={ctx} title="Issue archive">
      <h1>Issue archive</h1>
      {volumes.length === 0 ? <p class="usa-intro">No issue has been published yet.</p> : null}
      {volumes.map(({ volume, issues }) => (
        <section class="margin-bottom-5" aria-labelledby={`volume-${volume}`}>
          <h2 id={`volume-${volume}`}>
            Volume {volume} ({volumeYear(volume, ctx.settings.firstVolumeYear)})
          </h2>
          <ul class="usa-list usa-list--unstyled archive-issues">
            {issues.map(({ issue, articles, articleCount }) => (
              <li class="margin-bottom-3">
                <h3 class="margin-bottom-1">
                  <a href={`/issues/${issue.volume}/${issue.number}`}>
                    {issueMonthLabel(issue.month)} | Issue {issue.number}
                  </a>
                </h3>
                {articles.length ? (
                  <ul class="usa-list">
                    {articles.map((article) => (
                      <li>
                        <a href={`/articles/${article.slug}`}>{article.title}</a>
                      </li>
                    ))}
                    {articleCount > articles.length ? (
                      <li>
                        <a href={`/issues/${issue.volume}/${issue.number}`}>
                          All {articleCount} articles in {issueMonthLabel(issue.month)}
                        </a>
                      </li>
                    ) : null}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p>
        The e-mails sent to subscribers are in the <a href="/bulletins">archive of e-mail bulletins</a>.
      </p>
      <FollowLinks level={2} />
    </PublicLayout>
  );
}
