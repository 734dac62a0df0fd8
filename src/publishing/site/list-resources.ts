import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { publishedResources, type ResourceRow, type TopicRow, topicsOfResources } from './published.ts';

export interface ResourceListing {
  resources: (ResourceRow & { topics: TopicRow[] })[];
  /** Topics that have at least one published resource, for the filter. */
  topics: TopicRow[];
  /** The topic filtered on, when one was asked for. */
  topic: TopicRow | undefined;
}

/**
 * Published resources by title, optionally only one kind and/or one topic. The caller validates
 * `kind`; an unknown topic slug is NOT_FOUND.
 */
export async function listResources(
  ctx: Pick<AppContext, 'db'>,
  options: { kind?: string | undefined; topicSlug?: string | undefined } = {},
): Promise<ResourceListing> {
  const topic = options.topicSlug
    ? await ctx.db.selectFrom('publishing_topics').selectAll().where('slug', '=', options.topicSlug).executeTakeFirst()
    : undefined;
  if (options.topicSlug && !topic) throw notFound('That topic');

  let query = publishedResources(ctx.db).selectAll('publishing_resources');
  if (options.kind) query = query.where('publishing_resources.kind', '=', options.kind as ResourceRow['kind']);
  if (topic) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('publishing_resource_topics as link')
          .select('link.topic_id')
          .whereRef('link.resource_id', '=', 'publishing_resources.id')
          .where('link.topic_id', '=', topic.id),
      ),
    );
  }
  const rows = await query.orderBy('publishing_resources.title').orderBy('publishing_resources.id').execute();
  const [topicsById, filterTopics] = await Promise.all([
    topicsOfResources(
      ctx.db,
      rows.map((r) => r.id),
    ),
    ctx.db
      .selectFrom('publishing_topics as t')
      .selectAll('t')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('publishing_resource_topics as link')
            .innerJoin('publishing_resources as r', 'r.id', 'link.resource_id')
            .select('link.topic_id')
            .whereRef('link.topic_id', '=', 't.id')
            .where('r.status', '=', 'published'),
        ),
      )
      .orderBy('t.name')
      .execute(),
  ]);
  return { resources: rows.map((r) => ({ ...r, topics: topicsById.get(r.id) ?? [] })), topics: filterTopics, topic };
}
