import { AppError } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { parsePage } from '../../publishing/site/params.ts';
import { findArchivedBulletin } from './find-archived-bulletin.ts';
import { listArchivedBulletins } from './list-archived-bulletins.ts';
import { BulletinArchivePage, BulletinPage } from './views/bulletin-pages.tsx';

// Public pages carry no forms with tokens, so anonymous readers share cached copies (see page-cache.ts).
const cached = { config: { pageCache: true } };

/** A campaign id from the address: digits without a leading zero; anything else is malformed (400). */
function parseBulletinId(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,14}$/.test(raw)) throw new AppError('VALIDATION', 'That is not a valid bulletin address.');
  return Number(raw);
}

/** The public archive of sent bulletins (campaigns marked for it), read-only. */
export const bulletinArchiveRoutes: FeatureRoutes = async (app, ctx) => {
  app.get('/bulletins', cached, async (request, reply) => {
    const listing = await listArchivedBulletins(ctx, { page: parsePage(request.query) });
    return reply.html(BulletinArchivePage({ ctx: await reply.pageContext(), listing }));
  });

  app.get('/bulletins/:id', cached, async (request, reply) => {
    const bulletin = await findArchivedBulletin(ctx, { id: parseBulletinId((request.params as { id: string }).id) });
    return reply.html(BulletinPage({ ctx: await reply.pageContext(), bulletin }));
  });
};
