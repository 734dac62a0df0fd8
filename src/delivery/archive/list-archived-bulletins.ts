import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { CampaignKind } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';

/** Bulletins shown per page of `/bulletins`. */
export const BULLETINS_PAGE_SIZE = 20;

export interface ArchivedBulletinSummary {
  id: number;
  kind: CampaignKind;
  subject: string;
  /** When the send started. */
  sentAt: string;
}

export interface BulletinListing {
  bulletins: ArchivedBulletinSummary[];
  /** From 1. */
  page: number;
  /** At least 1, so page 1 always exists. */
  pageCount: number;
  total: number;
}

/**
 * What the public archive may show: campaigns whose send finished, that are marked for the archive,
 * and that were compiled (they always are once started). Cancelled, paused and unsent ones never.
 */
export function archivedBulletins(db: Db) {
  return db
    .selectFrom('delivery_campaigns')
    .where('status', '=', 'finished')
    .where('archived', '=', 1)
    .where('compiled_html', 'is not', null)
    .where('started_at', 'is not', null);
}

/** One page of the archive, newest first; a page past the last is NOT_FOUND (page 1 always exists). */
export async function listArchivedBulletins(
  ctx: Pick<AppContext, 'db'>,
  options: { page?: number; pageSize?: number } = {},
): Promise<BulletinListing> {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? BULLETINS_PAGE_SIZE;
  const [rows, counted] = await Promise.all([
    archivedBulletins(ctx.db)
      .select(['id', 'kind', 'subject', 'started_at'])
      // id breaks ties so each bulletin lands on exactly one page.
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    archivedBulletins(ctx.db)
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow(),
  ]);
  const total = Number(counted.count);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  if (page > pageCount) throw notFound('That page of bulletins');
  return {
    bulletins: rows.map((r) => ({ id: Number(r.id), kind: r.kind, subject: r.subject, sentAt: r.started_at as string })),
    page,
    pageCount,
    total,
  };
}
