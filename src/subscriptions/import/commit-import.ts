import { type RawBuilder, sql } from 'kysely';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { IMPORT_SOURCE, PROCESS_REQUESTS_JOB } from '../signup/signup-rules.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { conflictMessage } from './import-queries.ts';
import { withImportPageCache } from './sqlite-page-cache.ts';

// Step 2, "Import the valid rows": one transaction of set-based statements over the staged rows,
// so a million rows move without a million round trips, and a failure anywhere rolls all of it
// back: nothing is ever half-imported. Staged topic ids are JSON arrays, unnested with json_each
// on SQLite and jsonb_array_elements_text on PostgreSQL.

export interface ImportOutcome {
  /** New subscribers. */
  imported: number;
  /** Of the new subscribers, those without a consent date: pending, and mailed a confirmation. */
  pendingConfirmation: number;
  /** Existing subscribers (active, pending or paused) given the topics they lacked. */
  updated: number;
  /** Rows left alone: the address is suppressed, or its subscriber unsubscribed. */
  skipped: number;
}

/** The fragments that differ between the engines. */
function dialectSql(dialect: AppContext['dialect']) {
  const postgres = dialect === 'postgres';
  return {
    /** A FROM item: one row per topic id of staged row `r`, with the id in `t.value`. */
    topicIdsOfRow: postgres ? sql`jsonb_array_elements_text(r.topic_ids::jsonb) AS t(value)` : sql`json_each(r.topic_ids) AS t`,
    /** A JSON array (as JSON, for jsonObject) of the slugs `select` yields in column `slug`. */
    slugArray: (from: RawBuilder<unknown>) =>
      postgres
        ? sql`(SELECT COALESCE(json_agg(st.slug), '[]'::json) ${from})`
        : sql`json(COALESCE((SELECT json_group_array(st.slug) ${from}), '[]'))`,
    /** JSON text as a JSON value inside jsonObject. */
    json: (text: RawBuilder<unknown>) => (postgres ? sql`(${text})::json` : sql`json(${text})`),
    /** A JSON object as text. */
    jsonObject: (pairs: RawBuilder<unknown>) => (postgres ? sql`json_build_object(${pairs})::text` : sql`json_object(${pairs})`),
    /** A random version-4 UUID per row. */
    uuid: postgres
      ? sql`gen_random_uuid()::text`
      : sql`lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
          substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`,
  };
}

/** Moves the staged rows into subscribers, memberships, history and confirmation requests. */
export async function commitImport(ctx: AppContext, input: { importId: string; actor: StaffActor }): Promise<ImportOutcome> {
  const { importId } = input;
  const now = iso(ctx.clock.now());
  const d = dialectSql(ctx.dialect);
  const text = (value: string) => sql`CAST(${value} AS text)`;
  const notSuppressed = sql`NOT EXISTS (SELECT 1 FROM subscriber_suppressions x WHERE x.email_hash = r.email_hash)`;
  const staged = sql`r.import_id = ${importId}`;
  const live = sql`s.status IN ('active', 'pending', 'paused')`;

  const outcome = await withImportPageCache(ctx, () =>
    ctx.db.transaction().execute(async (trx): Promise<ImportOutcome> => {
      // The status check and the claim are one statement: of two commits at once, one wins and the
      // other (on PostgreSQL it waits on the row lock) finds the import no longer ready.
      const claimed = await trx
        .updateTable('subscriber_imports')
        .set({ status: 'importing' })
        .where('id', '=', importId)
        .where('status', '=', 'ready')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw await refusal(trx, importId);

      const counts = await sql<{ skipped: number | null; updated: number | null }>`
      SELECT
        SUM(CASE WHEN x.email_hash IS NOT NULL OR s.status = 'unsubscribed' THEN 1 ELSE 0 END) AS skipped,
        SUM(CASE WHEN x.email_hash IS NULL AND ${live} THEN 1 ELSE 0 END) AS updated
      FROM subscriber_import_rows r
      LEFT JOIN subscribers s ON s.email = r.email
      LEFT JOIN subscriber_suppressions x ON x.email_hash = r.email_hash
      WHERE ${staged}`.execute(trx);

      // History of existing subscribers first, while their memberships still show what is new.
      const missingTopics = sql`FROM ${d.topicIdsOfRow} JOIN subscription_topics st ON st.id = t.value
      WHERE NOT EXISTS (SELECT 1 FROM subscriptions m WHERE m.subscriber_id = s.id AND m.topic_id = st.id)`;
      await sql`
      INSERT INTO subscriber_events (subscriber_id, at, kind, actor, details)
      SELECT s.id, ${text(now)}, 'topics_changed', 'import',
        ${d.jsonObject(sql`'importId', ${text(importId)}, 'line', r.line, 'added', ${d.slugArray(missingTopics)}`)}
      FROM subscriber_import_rows r
      JOIN subscribers s ON s.email = r.email
      WHERE ${staged} AND ${live} AND ${notSuppressed} AND EXISTS (SELECT 1 ${missingTopics})`.execute(trx);

      // New addresses. ON CONFLICT covers a sign-up that created the address a moment ago (PostgreSQL
      // runs the sign-up job concurrently); such a row is then neither imported nor counted as new.
      const inserted = await sql`
      INSERT INTO subscribers (id, email, status, consent_at, consent_source, consent_ip_hash, consent_user_agent,
        confirmed_at, unsubscribed_at, created_at, updated_at)
      SELECT r.subscriber_id, r.email, CASE WHEN r.consent_at IS NULL THEN 'pending' ELSE 'active' END,
        r.consent_at, r.source, NULL, NULL, r.consent_at, NULL, ${text(now)}, ${text(now)}
      FROM subscriber_import_rows r
      WHERE ${staged} AND ${notSuppressed} AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.email = r.email)
      ON CONFLICT (email) DO NOTHING`.execute(trx);
      const imported = Number(inserted.numAffectedRows ?? 0);

      // Memberships of new and existing subscribers alike; topics deleted since the check drop out.
      // In key order, so the inserts walk the primary-key index instead of jumping around it.
      await sql`
      INSERT INTO subscriptions (subscriber_id, topic_id, frequency, created_at)
      SELECT s.id, st.id, 'every', ${text(now)}
      FROM subscriber_import_rows r
      JOIN subscribers s ON s.email = r.email
      CROSS JOIN ${d.topicIdsOfRow}
      JOIN subscription_topics st ON st.id = t.value
      WHERE ${staged} AND ${live} AND ${notSuppressed}
      ORDER BY s.id, st.id
      ON CONFLICT (subscriber_id, topic_id) DO NOTHING`.execute(trx);

      // A new subscriber's row carries the subscriber id the import chose, which is how they are told apart.
      // The history names topics by slug: the staged JSON array of ids with each id replaced by its slug
      // (ids are UUIDs, so no replacement can touch another), far cheaper than a subquery per row.
      const topics = await trx.selectFrom('subscription_topics').select(['id', 'slug']).execute();
      let slugs = sql`r.topic_ids`;
      for (const topic of topics) slugs = sql`replace(${slugs}, ${text(JSON.stringify(topic.id))}, ${text(JSON.stringify(topic.slug))})`;
      await sql`
      INSERT INTO subscriber_events (subscriber_id, at, kind, actor, details)
      SELECT s.id, ${text(now)}, 'imported', 'import',
        ${d.jsonObject(
          sql`'importId', ${text(importId)}, 'line', r.line, 'status', s.status, 'source', r.source, 'topics', ${d.json(slugs)}`,
        )}
      FROM subscriber_import_rows r
      JOIN subscribers s ON s.id = r.subscriber_id
      WHERE ${staged}`.execute(trx);

      // Rows without consent evidence: the sign-up job mails each a confirmation link.
      const requested = await sql`
      INSERT INTO subscription_requests (id, email, topic_ids, source, ip_hash, user_agent, created_at, processed_at, token_hash, expires_at)
      SELECT ${d.uuid}, r.email, r.topic_ids, ${text(IMPORT_SOURCE)}, NULL, NULL, ${text(now)}, NULL, NULL, NULL
      FROM subscriber_import_rows r
      JOIN subscribers s ON s.id = r.subscriber_id
      WHERE ${staged} AND r.consent_at IS NULL`.execute(trx);
      const pendingConfirmation = Number(requested.numAffectedRows ?? 0);

      const row = counts.rows[0];
      const outcome: ImportOutcome = {
        imported,
        pendingConfirmation,
        updated: Number(row?.updated ?? 0),
        skipped: Number(row?.skipped ?? 0),
      };
      await trx.deleteFrom('subscriber_import_rows').where('import_id', '=', importId).execute();
      await trx
        .updateTable('subscriber_imports')
        .set({
          status: 'imported',
          imported_rows: outcome.imported,
          updated_rows: outcome.updated,
          skipped_rows: outcome.skipped,
          finished_at: now,
        })
        .where('id', '=', importId)
        .execute();
      return outcome;
    }),
  );

  await ctx.audit.record({
    action: 'subscribers.import.imported',
    ...auditFieldsOf(input.actor),
    subjectType: 'subscriber_import',
    subjectId: importId,
    details: { ...outcome },
  });
  if (outcome.pendingConfirmation > 0) {
    await enqueueJob(ctx.db, ctx.clock, { name: PROCESS_REQUESTS_JOB, uniqueKey: PROCESS_REQUESTS_JOB });
  }
  return outcome;
}

/** Why an import that is not "ready" cannot be imported (or discarded). */
export async function refusal(db: Db, importId: string): Promise<AppError> {
  const current = await db.selectFrom('subscriber_imports').select('status').where('id', '=', importId).executeTakeFirst();
  if (!current) return notFound('That import');
  return new AppError('CONFLICT', conflictMessage(current.status));
}
