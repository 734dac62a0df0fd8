import { sql } from 'kysely';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { type IssueRow, publishedArticles, publishedIssues } from './published.ts';

/** The archive lists an issue's first few articles; its own page lists them all. */
export const ARCHIVE_TITLES_PER_ISSUE = 6;

export interface ArchiveVolume {
  volume: number;
  issues: { issue: IssueRow; articles: { slug: string; title: string }[]; articleCount: number }[];
}

/** Every published issue, newest volume first and newest issue first within it, with its article titles. */
export async function listIssueArchive(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<ArchiveVolume[]> {
  const issues = await publishedIssues(ctx.db).selectAll().orderBy('volume', 'desc').orderBy('number', 'desc').execute();
  if (issues.length === 0) return [];
  // Rank articles within each issue in the database, so an archive of thousands of articles reads
  // only the few titles per issue it shows (window functions work on both engines).
  const ranked = publishedArticles(ctx.db, iso(ctx.clock.now()))
    .select([
      'issue_id',
      'slug',
      'title',
      sql<number>`row_number() over (partition by issue_id order by position, published_at, id)`.as('rank'),
      sql<number>`count(*) over (partition by issue_id)`.as('total'),
    ])
    .where(
      'issue_id',
      'in',
      issues.map((i) => i.id),
    );
  const articles = await ctx.db
    .selectFrom(ranked.as('ranked'))
    .selectAll()
    .where('rank', '<=', ARCHIVE_TITLES_PER_ISSUE)
    .orderBy('rank')
    .execute();
  const byIssue = new Map<string, { slug: string; title: string }[]>();
  const counts = new Map<string, number>();
  for (const a of articles) {
    if (!a.issue_id) continue;
    byIssue.set(a.issue_id, [...(byIssue.get(a.issue_id) ?? []), { slug: a.slug, title: a.title }]);
    counts.set(a.issue_id, Number(a.total));
  }
  const volumes: ArchiveVolume[] = [];
  for (const issue of issues) {
    let current = volumes.at(-1);
    if (current?.volume !== issue.volume) {
      current = { volume: issue.volume, issues: [] };
      volumes.push(current);
    }
    current.issues.push({ issue, articles: byIssue.get(issue.id) ?? [], articleCount: counts.get(issue.id) ?? 0 });
  }
  return volumes;
}
