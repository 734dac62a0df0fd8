import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/platform/context.ts';
import type { PublishingArticlesTable, PublishingArticleTopicsTable } from '../../src/platform/db/schema.ts';
import { generateArticle, random } from './corpus.ts';

// Bulk content for the publishing benchmark: issues, topics and published articles, inserted in
// multi-row statements, a batch per transaction (a single-row insert per transaction would fsync
// 10,000 times).

const BATCH = 200;

const benchTopics = [
  'School safety',
  'Crisis response',
  'Youth',
  'Officer wellness',
  'Technology',
  'Grants',
  'Training',
  'Partnerships',
  'Mental health',
  'Traffic',
  'Victim services',
  'Evaluation',
].map((name, i) => ({ id: `bench-topic-${i}`, slug: `bench-${name.toLowerCase().replace(/\s+/g, '-')}`, name }));

export interface SeededContent {
  /** Slugs of every seeded article, in insertion order. */
  slugs: string[];
  /** Bytes of Markdown across all bodies. */
  markdownBytes: number;
}

/** Inserts `issues` published monthly issues (Jan 2014 onwards) and `articles` articles spread across them. */
export async function seedArticles(ctx: Pick<AppContext, 'db'>, options: { articles: number; issues: number }): Promise<SeededContent> {
  const r = random(20240122);
  const created = '2024-01-01T00:00:00.000Z';
  await ctx.db
    .insertInto('publishing_topics')
    .values(benchTopics.map((t) => ({ ...t, description: `Articles about ${t.name.toLowerCase()}.`, created_at: created })))
    .execute();
  const issues = Array.from({ length: options.issues }, (_, i) => {
    const month = `${2014 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
    return {
      id: `bench-issue-${i}`,
      // The demo issue is Volume 17 (2024), so these older volumes never become the current issue.
      volume: 7 + Math.floor(i / 12),
      number: (i % 12) + 1,
      month,
      status: 'published' as const,
      published_at: `${month}T14:00:00.000Z`,
      created_at: created,
      updated_at: created,
    };
  });
  await ctx.db.insertInto('publishing_issues').values(issues).execute();

  const slugs: string[] = [];
  let markdownBytes = 0;
  for (let start = 0; start < options.articles; start += BATCH) {
    const rows: Insertable<PublishingArticlesTable>[] = [];
    const links: PublishingArticleTopicsTable[] = [];
    for (let i = start; i < Math.min(start + BATCH, options.articles); i++) {
      const article = generateArticle(r);
      const issueIndex = Math.floor((i * options.issues) / options.articles);
      const issue = issues[issueIndex]!;
      const id = `bench-article-${String(i).padStart(5, '0')}`;
      const slug = `${article.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}-${i}`;
      slugs.push(slug);
      markdownBytes += Buffer.byteLength(article.body);
      rows.push({
        id,
        issue_id: issue.id,
        position: i - Math.ceil((issueIndex * options.articles) / options.issues),
        slug,
        title: article.title,
        summary: article.summary,
        body_markdown: article.body,
        authors: article.authors,
        status: 'published',
        scheduled_for: null,
        published_at: issue.published_at,
        image_upload_id: null,
        image_alt: null,
        created_at: created,
        updated_at: created,
      });
      const topicCount = r.int(1, 3);
      const first = r.int(0, benchTopics.length - 1);
      for (let t = 0; t < topicCount; t++) links.push({ article_id: id, topic_id: benchTopics[(first + t * 5) % benchTopics.length]!.id });
    }
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('publishing_articles').values(rows).execute();
      await trx.insertInto('publishing_article_topics').values(links).execute();
    });
  }
  return { slugs, markdownBytes };
}
