import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { JobHandler } from '../../platform/jobs/index.ts';
import { PUBLISH_SCHEDULED_JOB, publishScheduledArticle } from './articles/publish-scheduled-article.ts';

const publishPayload = z.object({ articleId: z.string().min(1).max(100) });

/** Job handlers of the editorial workflow (scheduled publishing). */
export function editorialJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    [PUBLISH_SCHEDULED_JOB]: async (payload) => {
      const { articleId } = publishPayload.parse(payload);
      const published = await publishScheduledArticle(ctx, { articleId });
      ctx.log.info({ articleId, published }, published ? 'scheduled article published' : 'scheduled job had nothing to publish');
    },
  };
}
