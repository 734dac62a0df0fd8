import type { Kysely } from 'kysely';
import { timestamp } from './helpers.ts';

// The publication's first tables: enough for the seeded demo issue, its article and its event.
// The publishing feature grows them with later migrations.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publishing_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('volume', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    // First day of the month, "2024-01-01".
    .addColumn('month', 'text', (c) => c.notNull())
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', timestamp)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('publishing_issues_volume_number', ['volume', 'number'])
    .execute();

  await db.schema
    .createTable('publishing_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('issue_id', 'text', (c) => c.references('publishing_issues.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_at', timestamp)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('publishing_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.references('publishing_articles.id').onDelete('set null'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    // x_chat | webinar | in_person
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', timestamp, (c) => c.notNull())
    // IANA zone the event is announced in, e.g. America/New_York.
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('hashtag', 'text')
    // JSON: [{ "handle": "@COPSOffice", "name": "COPS Office", "url": "https://x.com/COPSOffice" }]
    .addColumn('hosts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
}
