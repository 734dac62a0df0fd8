import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';

const contentDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content/demo');

const link = z.object({ title: z.string(), url: z.url() });
const demoSchema = z.object({
  topics: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), description: z.string() })),
  issue: z.object({ id: z.string(), volume: z.number().int(), number: z.number().int(), month: z.string(), publishedAt: z.string() }),
  articles: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      title: z.string(),
      summary: z.string(),
      bodyFile: z.string(),
      authors: z.string(),
      topics: z.array(z.string()),
      additionalResources: z.array(link),
      publishedAt: z.string(),
    }),
  ),
  events: z.array(
    z.object({
      id: z.string(),
      articleId: z.string(),
      slug: z.string(),
      title: z.string(),
      kind: z.enum(['x_chat', 'webinar', 'in_person']),
      startsAt: z.string(),
      timeZone: z.string(),
      durationMinutes: z.number().int(),
      hashtag: z.string(),
      hosts: z.array(z.object({ handle: z.string(), name: z.string(), url: z.url() })),
      description: z.string(),
      topics: z.array(z.string()),
    }),
  ),
  resources: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      url: z.url(),
      publisher: z.string(),
      kind: z.enum(['publication', 'toolkit', 'video', 'webinar', 'website', 'other']),
      description: z.string(),
      topics: z.array(z.string()),
    }),
  ),
});

export interface SeedReport {
  issues: number;
  articles: number;
  events: number;
}

/**
 * Loads the demo issue shipped in content/demo (January 2024, Volume 17, Issue 1) with its topics,
 * event and resources. Each row is inserted only if absent, so running it again changes nothing,
 * and edits made later in the admin UI are never overwritten.
 */
export async function seedDemoContent(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<SeedReport> {
  const demo = demoSchema.parse(JSON.parse(await fs.readFile(path.join(contentDir, 'issue-2024-01.json'), 'utf8')));
  const bodies = await Promise.all(demo.articles.map((a) => fs.readFile(path.join(contentDir, a.bodyFile), 'utf8')));
  const now = iso(ctx.clock.now());
  const report: SeedReport = { issues: 0, articles: 0, events: 0 };
  const inserted = (r: { numInsertedOrUpdatedRows?: bigint }) => Number(r.numInsertedOrUpdatedRows ?? 0);
  const topicId = new Map(demo.topics.map((t) => [t.slug, t.id]));
  const topicIds = (slugs: string[]) => slugs.map((s) => topicId.get(s)).filter((id): id is string => id !== undefined);

  await ctx.db.transaction().execute(async (trx) => {
    for (const topic of demo.topics) {
      await trx
        .insertInto('publishing_topics')
        .values({ ...topic, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const { issue } = demo;
    report.issues += inserted(
      await trx
        .insertInto('publishing_issues')
        .values({
          id: issue.id,
          volume: issue.volume,
          number: issue.number,
          month: issue.month,
          status: 'published',
          published_at: issue.publishedAt,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
    for (const [position, article] of demo.articles.entries()) {
      const added = inserted(
        await trx
          .insertInto('publishing_articles')
          .values({
            id: article.id,
            issue_id: issue.id,
            position,
            slug: article.slug,
            title: article.title,
            summary: article.summary,
            body_markdown: bodies[position] ?? '',
            authors: article.authors,
            additional_resources: JSON.stringify(article.additionalResources),
            status: 'published',
            scheduled_for: null,
            published_at: article.publishedAt,
            image_upload_id: null,
            image_alt: null,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      report.articles += added;
      if (added) {
        for (const topic of topicIds(article.topics)) {
          await trx.insertInto('publishing_article_topics').values({ article_id: article.id, topic_id: topic }).execute();
        }
      }
    }
    for (const event of demo.events) {
      const added = inserted(
        await trx
          .insertInto('publishing_events')
          .values({
            id: event.id,
            article_id: event.articleId,
            slug: event.slug,
            title: event.title,
            kind: event.kind,
            starts_at: event.startsAt,
            time_zone: event.timeZone,
            duration_minutes: event.durationMinutes,
            hashtag: event.hashtag,
            hosts: JSON.stringify(event.hosts),
            join_url: null,
            location: null,
            description: event.description,
            recap_markdown: null,
            recording_url: null,
            status: 'published',
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      report.events += added;
      if (added) {
        for (const topic of topicIds(event.topics)) {
          await trx.insertInto('publishing_event_topics').values({ event_id: event.id, topic_id: topic }).execute();
        }
      }
    }
    for (const resource of demo.resources) {
      const { topics, ...row } = resource;
      const added = inserted(
        await trx
          .insertInto('publishing_resources')
          .values({ ...row, status: 'published', created_at: now, updated_at: now })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      if (added) {
        for (const topic of topicIds(topics)) {
          await trx.insertInto('publishing_resource_topics').values({ resource_id: resource.id, topic_id: topic }).execute();
        }
      }
    }
  });
  return report;
}
