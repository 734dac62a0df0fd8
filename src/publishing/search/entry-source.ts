import type { Db } from '../../platform/db/database.ts';
import { cleanText, markdownToText } from './document-text.ts';
import type { SearchKind } from './tables.ts';

/** What the index stores for one published article, event or resource. */
export interface IndexEntry {
  kind: SearchKind;
  refId: string;
  title: string;
  summary: string;
  body: string;
  url: string;
  publishedAt: string | null;
  topicIds: string[];
}

/** Which rows to read: some ids, or the next batch in id order (for a rebuild). */
export type Selection = { ids: string[] } | { after: string | null; limit: number };

interface Host {
  handle?: string;
  name?: string;
}

/** Reads published rows of one kind with their topics and turns them into index entries. */
export async function loadPublishedEntries(
  db: Db,
  kind: SearchKind,
  selection: Selection,
): Promise<{ entries: IndexEntry[]; lastId?: string }> {
  const rows = await loadRows(db, kind, selection);
  if (rows.length === 0) return { entries: [] };
  const topics = await loadTopics(
    db,
    kind,
    rows.map((r) => r.id),
  );
  const entries = rows.map((row) => {
    const own = topics.get(row.id) ?? [];
    const topicNames = own.map((t) => t.name).join(', ');
    return {
      kind,
      refId: row.id,
      title: cleanText(row.title),
      summary: cleanText(row.summary),
      body: cleanText([row.body, topicNames].filter(Boolean).join('\n')),
      url: row.url,
      publishedAt: row.publishedAt,
      topicIds: own.map((t) => t.id),
    };
  });
  return { entries, lastId: rows.at(-1)?.id };
}

interface SourceRow {
  id: string;
  title: string;
  summary: string;
  body: string;
  url: string;
  publishedAt: string | null;
}

async function loadRows(db: Db, kind: SearchKind, selection: Selection): Promise<SourceRow[]> {
  if ('ids' in selection && selection.ids.length === 0) return [];
  // Either the given ids, or keyset paging by id (ids are non-empty text, all > '') so a rebuild
  // reads any number of rows in bounded memory.
  const ids = 'ids' in selection ? selection.ids : null;
  const page = 'ids' in selection ? null : selection;
  if (kind === 'article') {
    const query = db
      .selectFrom('publishing_articles')
      .select(['id', 'slug', 'title', 'summary', 'body_markdown', 'authors', 'published_at'])
      .where('status', '=', 'published')
      .$if(ids !== null, (q) => q.where('id', 'in', ids!))
      .$if(page !== null, (q) =>
        q
          .where('id', '>', page!.after ?? '')
          .orderBy('id')
          .limit(page!.limit),
      );
    return (await query.execute()).map((a) => ({
      id: a.id,
      title: a.title,
      summary: a.summary,
      body: `${markdownToText(a.body_markdown)}\n${a.authors}`,
      url: `/articles/${encodeURIComponent(a.slug)}`,
      publishedAt: a.published_at,
    }));
  }
  if (kind === 'event') {
    const query = db
      .selectFrom('publishing_events')
      .select(['id', 'slug', 'title', 'description', 'hashtag', 'hosts', 'starts_at'])
      .where('status', '=', 'published')
      .$if(ids !== null, (q) => q.where('id', 'in', ids!))
      .$if(page !== null, (q) =>
        q
          .where('id', '>', page!.after ?? '')
          .orderBy('id')
          .limit(page!.limit),
      );
    return (await query.execute()).map((e) => ({
      id: e.id,
      title: e.title,
      summary: e.description,
      body: [e.hashtag ?? '', hostsText(e.hosts)].join('\n'),
      url: `/events/${encodeURIComponent(e.slug)}`,
      // An event's date is when it happens: that is what a reader scanning results needs.
      publishedAt: e.starts_at,
    }));
  }
  const query = db
    .selectFrom('publishing_resources')
    .select(['id', 'title', 'description', 'publisher', 'url', 'created_at'])
    .where('status', '=', 'published')
    .$if(ids !== null, (q) => q.where('id', 'in', ids!))
    .$if(page !== null, (q) =>
      q
        .where('id', '>', page!.after ?? '')
        .orderBy('id')
        .limit(page!.limit),
    );
  return (await query.execute()).map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.description,
    body: r.publisher,
    // Results link straight to the resource; only web addresses become links.
    url: /^https?:\/\//i.test(r.url) ? r.url : '',
    publishedAt: r.created_at,
  }));
}

function hostsText(json: string): string {
  try {
    const hosts = JSON.parse(json) as unknown;
    if (!Array.isArray(hosts)) return '';
    return (hosts as Host[]).map((h) => [h.name, h.handle].filter((v) => typeof v === 'string').join(' ')).join(', ');
  } catch {
    return '';
  }
}

async function loadTopics(db: Db, kind: SearchKind, ids: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const rows =
    kind === 'article'
      ? await db
          .selectFrom('publishing_article_topics as l')
          .innerJoin('publishing_topics as t', 't.id', 'l.topic_id')
          .select(['l.article_id as refId', 't.id', 't.name'])
          .where('l.article_id', 'in', ids)
          .orderBy('t.name')
          .execute()
      : kind === 'event'
        ? await db
            .selectFrom('publishing_event_topics as l')
            .innerJoin('publishing_topics as t', 't.id', 'l.topic_id')
            .select(['l.event_id as refId', 't.id', 't.name'])
            .where('l.event_id', 'in', ids)
            .orderBy('t.name')
            .execute()
        : await db
            .selectFrom('publishing_resource_topics as l')
            .innerJoin('publishing_topics as t', 't.id', 'l.topic_id')
            .select(['l.resource_id as refId', 't.id', 't.name'])
            .where('l.resource_id', 'in', ids)
            .orderBy('t.name')
            .execute();
  const byRef = new Map<string, { id: string; name: string }[]>();
  for (const row of rows) {
    const list = byRef.get(row.refId) ?? [];
    list.push({ id: row.id, name: row.name });
    byRef.set(row.refId, list);
  }
  return byRef;
}
