import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';

const contentDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content/demo');

const demoSchema = z.object({
  issue: z.object({ id: z.string(), volume: z.number().int(), number: z.number().int(), month: z.string(), publishedAt: z.string() }),
  articles: z.array(
    z.object({ id: z.string(), slug: z.string(), title: z.string(), summary: z.string(), bodyFile: z.string(), publishedAt: z.string() }),
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
    }),
  ),
});

export interface SeedReport {
  issues: number;
  articles: number;
  events: number;
}

/**
 * Loads the demo issue shipped in content/demo (January 2024, Volume 17, Issue 1). Each row is
 * inserted only if absent, so running it again changes nothing, and edits made later in the admin
 * UI are never overwritten.
 */
export async function seedDemoContent(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<SeedReport> {
  const demo = demoSchema.parse(JSON.parse(await fs.readFile(path.join(contentDir, 'issue-2024-01.json'), 'utf8')));
  const now = iso(ctx.clock.now());
  const report: SeedReport = { issues: 0, articles: 0, events: 0 };
  const inserted = (r: { numInsertedOrUpdatedRows?: bigint }) => Number(r.numInsertedOrUpdatedRows ?? 0);

  await ctx.db.transaction().execute(async (trx) => {
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
      const body = await fs.readFile(path.join(contentDir, article.bodyFile), 'utf8');
      report.articles += inserted(
        await trx
          .insertInto('publishing_articles')
          .values({
            id: article.id,
            issue_id: issue.id,
            position,
            slug: article.slug,
            title: article.title,
            summary: article.summary,
            body_markdown: body,
            status: 'published',
            published_at: article.publishedAt,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
    }
    for (const event of demo.events) {
      report.events += inserted(
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
            description: event.description,
            status: 'published',
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
    }
  });
  return report;
}
