import type { Db } from '../../../platform/db/database.ts';
import type { ArticleStatus } from '../../../platform/db/schema.ts';
import { ADMIN_PAGE_SIZE, offsetOf } from '../shared/paging.ts';

export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'in_review', 'scheduled', 'published'];

export function findArticle(db: Db, id: string) {
  return db.selectFrom('publishing_articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ArticleRow = NonNullable<Awaited<ReturnType<typeof findArticle>>>;

/** One page of articles for the admin list, most recently changed first, optionally in one state. */
export async function listArticles(db: Db, options: { status?: ArticleStatus | undefined; page: number }) {
  let query = db
    .selectFrom('publishing_articles as a')
    .leftJoin('publishing_issues as i', 'i.id', 'a.issue_id')
    .select(['a.id', 'a.title', 'a.slug', 'a.status', 'a.scheduled_for', 'a.published_at', 'a.updated_at', 'i.volume', 'i.number']);
  let count = db.selectFrom('publishing_articles').select((eb) => eb.fn.countAll<number>().as('n'));
  if (options.status) {
    query = query.where('a.status', '=', options.status);
    count = count.where('status', '=', options.status);
  }
  const [rows, total] = await Promise.all([
    query.orderBy('a.updated_at', 'desc').orderBy('a.id').limit(ADMIN_PAGE_SIZE).offset(offsetOf(options.page)).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Issues for the article form's select, newest first. */
export function listIssueOptions(db: Db) {
  return db
    .selectFrom('publishing_issues')
    .select(['id', 'volume', 'number', 'month', 'status'])
    .orderBy('volume', 'desc')
    .orderBy('number', 'desc')
    .execute();
}

export type IssueOption = Awaited<ReturnType<typeof listIssueOptions>>[number];

/** Articles for the event form's "linked article" select. */
export function listArticleOptions(db: Db) {
  return db.selectFrom('publishing_articles').select(['id', 'title', 'status']).orderBy('title').limit(500).execute();
}

/** The article using a slug, if any (to report a clash as a field error). */
export function findArticleIdBySlug(db: Db, slug: string) {
  return db.selectFrom('publishing_articles').select('id').where('slug', '=', slug).executeTakeFirst();
}
