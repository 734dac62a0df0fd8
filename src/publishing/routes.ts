import type { FeatureRoutes } from '../platform/http/app.ts';
import { findCurrentIssue } from './queries.ts';
import { HomePage } from './views/home-page.tsx';

/** Public pages of the publication. For now: the current issue, read-only. */
export const publishingRoutes: FeatureRoutes = async (app, ctx) => {
  app.get('/', async (_request, reply) => {
    const [pageCtx, current] = await Promise.all([reply.pageContext(), findCurrentIssue(ctx.db)]);
    return reply.html(HomePage({ ctx: pageCtx, current }));
  });
};
