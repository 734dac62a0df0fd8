import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { archivedBulletinHtml } from './bulletin-html.ts';
import { type ArchivedBulletinSummary, archivedBulletins } from './list-archived-bulletins.ts';

export interface ArchivedBulletin extends ArchivedBulletinSummary {
  /** The bulletin's content as sent, with public links, sanitised for the page. */
  contentHtml: string;
}

/** One sent, archived bulletin; NOT_FOUND for unknown, unsent, cancelled or non-archived ids. */
export async function findArchivedBulletin(ctx: Pick<AppContext, 'db' | 'config'>, options: { id: number }): Promise<ArchivedBulletin> {
  const row = await archivedBulletins(ctx.db)
    .select(['id', 'kind', 'subject', 'started_at', 'compiled_html'])
    .where('id', '=', options.id)
    .executeTakeFirst();
  if (!row?.compiled_html || !row.started_at) throw notFound('That bulletin');
  const id = Number(row.id);
  return {
    id,
    kind: row.kind,
    subject: row.subject,
    sentAt: row.started_at,
    contentHtml: archivedBulletinHtml(row.compiled_html, { campaignId: id, secret: ctx.config.secret, publicUrl: ctx.config.publicUrl }),
  };
}
