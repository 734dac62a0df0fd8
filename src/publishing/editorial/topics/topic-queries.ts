import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/database.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { ADMIN_PAGE_SIZE, offsetOf } from '../shared/paging.ts';

export function findTopic(db: Db, id: string) {
  return db.selectFrom('publishing_topics').selectAll().where('id', '=', id).executeTakeFirst();
}

export type TopicRow = NonNullable<Awaited<ReturnType<typeof findTopic>>>;

/** One page of topics by name, with how many articles, events and resources use each. */
export async function listTopics(db: Db, options: { page: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('publishing_topics as t')
      .select(['t.id', 't.name', 't.slug'])
      .select((eb) => [
        eb
          .selectFrom('publishing_article_topics')
          .whereRef('topic_id', '=', 't.id')
          .select(eb.fn.countAll<number>().as('n'))
          .as('articles'),
        eb.selectFrom('publishing_event_topics').whereRef('topic_id', '=', 't.id').select(eb.fn.countAll<number>().as('n')).as('events'),
        eb
          .selectFrom('publishing_resource_topics')
          .whereRef('topic_id', '=', 't.id')
          .select(eb.fn.countAll<number>().as('n'))
          .as('resources'),
      ])
      .orderBy('t.name')
      .orderBy('t.id')
      .limit(ADMIN_PAGE_SIZE)
      .offset(offsetOf(options.page))
      .execute(),
    db
      .selectFrom('publishing_topics')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, uses: Number(r.articles ?? 0) + Number(r.events ?? 0) + Number(r.resources ?? 0) })),
    total: Number(total.n),
  };
}

/** Everything tagged with a topic, so its search entries can follow a rename or a deletion. */
export async function itemsTaggedWith(db: Db, topicId: string) {
  const [articles, events, resources] = await Promise.all([
    db.selectFrom('publishing_article_topics').select('article_id as id').where('topic_id', '=', topicId).execute(),
    db.selectFrom('publishing_event_topics').select('event_id as id').where('topic_id', '=', topicId).execute(),
    db.selectFrom('publishing_resource_topics').select('resource_id as id').where('topic_id', '=', topicId).execute(),
  ]);
  return [
    ...articles.map((r) => ({ kind: 'article' as const, id: r.id })),
    ...events.map((r) => ({ kind: 'event' as const, id: r.id })),
    ...resources.map((r) => ({ kind: 'resource' as const, id: r.id })),
  ];
}

/** Brings the search entries of tagged items up to date. */
export async function refreshTagged(ctx: AppContext, items: Awaited<ReturnType<typeof itemsTaggedWith>>): Promise<void> {
  for (const item of items) await refreshSearchEntry(ctx, item);
}
