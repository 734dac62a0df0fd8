import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import {
  type ArticleRow,
  type EventRow,
  type IssueRow,
  publishedArticles,
  publishedEvents,
  publishedIssues,
  type TopicRow,
  topicsOfArticles,
} from './published.ts';

export interface IssueContents {
  issue: IssueRow;
  /** Published articles in their printed order. */
  articles: ArticleRow[];
  /** Published events of those articles, soonest first. */
  events: EventRow[];
  topics: Map<string, TopicRow[]>;
}

type Ctx = Pick<AppContext, 'db' | 'clock'>;

async function contentsOf(ctx: Ctx, issue: IssueRow): Promise<IssueContents> {
  const articles = await publishedArticles(ctx.db, iso(ctx.clock.now()))
    .selectAll()
    .where('issue_id', '=', issue.id)
    .orderBy('position')
    .orderBy('published_at')
    .orderBy('id')
    .execute();
  const ids = articles.map((a) => a.id);
  const [events, topics] = await Promise.all([
    ids.length ? publishedEvents(ctx.db).selectAll().where('article_id', 'in', ids).orderBy('starts_at').orderBy('id').execute() : [],
    topicsOfArticles(ctx.db, ids),
  ]);
  return { issue, articles, events, topics };
}

/** The newest published issue (highest volume, then number) with its contents, or undefined. */
export async function findCurrentIssue(ctx: Ctx): Promise<IssueContents | undefined> {
  const issue = await publishedIssues(ctx.db).selectAll().orderBy('volume', 'desc').orderBy('number', 'desc').executeTakeFirst();
  return issue ? contentsOf(ctx, issue) : undefined;
}

/** One published issue by volume and number (or id); NOT_FOUND when it does not exist or is a draft. */
export async function findIssue(ctx: Ctx, options: { volume: number; number: number } | { id: string }): Promise<IssueContents> {
  const query = publishedIssues(ctx.db).selectAll();
  const issue = await ('id' in options
    ? query.where('id', '=', options.id)
    : query.where('volume', '=', options.volume).where('number', '=', options.number)
  ).executeTakeFirst();
  if (!issue) throw notFound('That issue');
  return contentsOf(ctx, issue);
}
