import type { Db } from '../platform/db/database.ts';

/** The newest published issue with its published articles and their events, or undefined. */
export async function findCurrentIssue(db: Db) {
  const issue = await db
    .selectFrom('publishing_issues')
    .selectAll()
    .where('status', '=', 'published')
    .orderBy('volume', 'desc')
    .orderBy('number', 'desc')
    .executeTakeFirst();
  if (!issue) return undefined;
  const articles = await db
    .selectFrom('publishing_articles')
    .selectAll()
    .where('issue_id', '=', issue.id)
    .where('status', '=', 'published')
    .orderBy('position')
    .execute();
  const events = articles.length
    ? await db
        .selectFrom('publishing_events')
        .selectAll()
        .where(
          'article_id',
          'in',
          articles.map((a) => a.id),
        )
        .where('status', '=', 'published')
        .orderBy('starts_at')
        .execute()
    : [];
  return { issue, articles, events };
}

export type CurrentIssue = NonNullable<Awaited<ReturnType<typeof findCurrentIssue>>>;
