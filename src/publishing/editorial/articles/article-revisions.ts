import type { Clock } from '../../../platform/clock.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { ArticleStatus } from '../../../platform/db/schema.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { readJsonList, type TitledLink } from '../shared/link-lines.ts';
import { linkedTopicIds } from '../shared/topic-links.ts';

/** What happened to an article; also the last part of its audit action ("article.published"). */
export type ArticleChange = 'created' | 'edited' | 'submitted' | 'scheduled' | 'published' | 'unpublished' | 'returned';

export const CHANGE_LABELS: Record<ArticleChange, string> = {
  created: 'Created',
  edited: 'Edited',
  submitted: 'Submitted for review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
  returned: 'Returned to draft',
};

/** The editable fields of an article after a change, as stored in its revision. */
export interface ArticleSnapshot {
  title: string;
  slug: string;
  summary: string;
  body_markdown: string;
  authors: string;
  issue_id: string | null;
  position: number;
  topic_ids: string[];
  additional_resources: TitledLink[];
  show_disclaimer: boolean;
  image_upload_id: string | null;
  image_alt: string | null;
  status: ArticleStatus;
  scheduled_for: string | null;
  published_at: string | null;
}

async function snapshotOf(db: Db, articleId: string): Promise<ArticleSnapshot> {
  const a = await db.selectFrom('publishing_articles').selectAll().where('id', '=', articleId).executeTakeFirstOrThrow();
  return {
    title: a.title,
    slug: a.slug,
    summary: a.summary,
    body_markdown: a.body_markdown,
    authors: a.authors,
    issue_id: a.issue_id,
    position: a.position,
    topic_ids: await linkedTopicIds(db, 'article', articleId),
    additional_resources: readJsonList<TitledLink>(a.additional_resources),
    show_disclaimer: a.show_disclaimer === 1,
    image_upload_id: a.image_upload_id,
    image_alt: a.image_alt,
    status: a.status,
    scheduled_for: a.scheduled_for,
    published_at: a.published_at,
  };
}

/** Writes a revision with the article as it now is. Call it inside the transaction that changed it. */
export async function recordArticleRevision(
  db: Db,
  clock: Clock,
  options: { articleId: string; actor: Actor; change: ArticleChange },
): Promise<void> {
  const snapshot = await snapshotOf(db, options.articleId);
  await db
    .insertInto('publishing_article_revisions')
    .values({
      article_id: options.articleId,
      created_at: iso(clock.now()),
      author_user_id: options.actor.userId,
      author: options.actor.email,
      change: options.change,
      snapshot: JSON.stringify(snapshot),
    })
    .execute();
}

/** After the change is committed: the audit entry, and the search entry brought up to date. */
export async function afterArticleChange(
  ctx: AppContext,
  options: { articleId: string; actor: Actor; change: ArticleChange; details?: Record<string, unknown> },
): Promise<void> {
  await ctx.audit.record({
    action: `article.${options.change}`,
    ...auditActor(options.actor),
    subjectType: 'article',
    subjectId: options.articleId,
    ...(options.details ? { details: options.details } : {}),
  });
  await refreshSearchEntry(ctx, { kind: 'article', id: options.articleId });
}

/** An article's revisions, newest first, without the snapshots. */
export function listArticleRevisions(db: Db, articleId: string) {
  return db
    .selectFrom('publishing_article_revisions')
    .select(['id', 'created_at', 'author', 'change'])
    .where('article_id', '=', articleId)
    .orderBy('id', 'desc')
    .execute();
}

/** One revision with its snapshot parsed. */
export async function findArticleRevision(db: Db, articleId: string, revisionId: number) {
  const row = await db
    .selectFrom('publishing_article_revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('id', '=', revisionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...row, snapshot: JSON.parse(row.snapshot) as ArticleSnapshot };
}
