import type { Kysely } from 'kysely';
import { timestamp, withSerialId } from './helpers.ts';

// The publication: issues, articles (with revisions), events, resources, topics, uploads and
// Contact Us messages. Workflow states: draft | in_review | scheduled | published.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('publishing_topics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('publishing_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('volume', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    // First day of the month, "2024-01-01".
    .addColumn('month', 'text', (c) => c.notNull())
    // draft | published: an issue appears once published; its articles keep their own states.
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
    // Comma-separated display names as printed in the byline.
    .addColumn('authors', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('image_upload_id', 'text')
    .addColumn('image_alt', 'text')
    // JSON: [{ "title": "…", "url": "https://…" }], printed as "Additional Resources".
    .addColumn('additional_resources', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('show_disclaimer', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', timestamp)
    .addColumn('published_at', timestamp)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publishing_articles_published').on('publishing_articles').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('publishing_articles_issue').on('publishing_articles').column('issue_id').execute();

  await withSerialId(db, db.schema.createTable('publishing_article_revisions'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('publishing_articles.id').onDelete('cascade'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('author_user_id', 'text')
    .addColumn('author', 'text', (c) => c.notNull())
    // What happened: created | edited | submitted | scheduled | published | unpublished | returned
    .addColumn('change', 'text', (c) => c.notNull())
    // JSON snapshot of the editable fields after the change.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publishing_article_revisions_article').on('publishing_article_revisions').column('article_id').execute();

  await db.schema
    .createTable('publishing_article_topics')
    .addColumn('article_id', 'text', (c) => c.notNull().references('publishing_articles.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('publishing_topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('publishing_article_topics_pk', ['article_id', 'topic_id'])
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
    .addColumn('join_url', 'text')
    .addColumn('location', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('recap_markdown', 'text')
    .addColumn('recording_url', 'text')
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publishing_events_starts').on('publishing_events').columns(['status', 'starts_at']).execute();

  await db.schema
    .createTable('publishing_event_topics')
    .addColumn('event_id', 'text', (c) => c.notNull().references('publishing_events.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('publishing_topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('publishing_event_topics_pk', ['event_id', 'topic_id'])
    .execute();

  await db.schema
    .createTable('publishing_resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('publisher', 'text', (c) => c.notNull().defaultTo(''))
    // publication | toolkit | video | webinar | website | other
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('publishing_resource_topics')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('publishing_resources.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('publishing_topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('publishing_resource_topics_pk', ['resource_id', 'topic_id'])
    .execute();

  await db.schema
    .createTable('publishing_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // File name under DATA_DIR/uploads: "<id>.<ext>", never the name the browser sent.
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .execute();

  await withSerialId(db, db.schema.createTable('publishing_contact_messages'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    // new | answered | archived
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('publishing_contact_messages_status')
    .on('publishing_contact_messages')
    .columns(['status', 'created_at'])
    .execute();
}
