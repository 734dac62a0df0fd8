import type { Db } from '../../../platform/db/database.ts';
import { ADMIN_PAGE_SIZE, offsetOf } from '../shared/paging.ts';

export function findIssue(db: Db, id: string) {
  return db.selectFrom('publishing_issues').selectAll().where('id', '=', id).executeTakeFirst();
}

export type IssueRow = NonNullable<Awaited<ReturnType<typeof findIssue>>>;

/** One page of issues, newest first, with how many articles each holds. */
export async function listIssues(db: Db, options: { page: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('publishing_issues as i')
      .leftJoin('publishing_articles as a', 'a.issue_id', 'i.id')
      .select(['i.id', 'i.volume', 'i.number', 'i.month', 'i.status', 'i.published_at'])
      .select((eb) => eb.fn.count<number>('a.id').as('articles'))
      .groupBy(['i.id', 'i.volume', 'i.number', 'i.month', 'i.status', 'i.published_at'])
      .orderBy('i.volume', 'desc')
      .orderBy('i.number', 'desc')
      .limit(ADMIN_PAGE_SIZE)
      .offset(offsetOf(options.page))
      .execute(),
    db
      .selectFrom('publishing_issues')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, articles: Number(r.articles) })), total: Number(total.n) };
}

/** The articles of an issue in their order, for the issue page. */
export function listIssueArticles(db: Db, issueId: string) {
  return db
    .selectFrom('publishing_articles')
    .select(['id', 'title', 'status', 'position'])
    .where('issue_id', '=', issueId)
    .orderBy('position')
    .orderBy('title')
    .execute();
}
