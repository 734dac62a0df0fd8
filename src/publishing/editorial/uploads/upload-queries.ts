import path from 'node:path';
import type { AppContext } from '../../../platform/context.ts';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The folder uploads live in: DATA_DIR/uploads. */
export function uploadsDir(ctx: Pick<AppContext, 'config'>): string {
  return path.join(ctx.config.dataDir, 'uploads');
}

/** The row and file path of an upload, or undefined. */
export async function findUpload(ctx: Pick<AppContext, 'db' | 'config'>, id: string) {
  const row = await ctx.db.selectFrom('publishing_uploads').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, filePath: path.join(uploadsDir(ctx), row.file_name) };
}

/** The newest uploads, for the uploads page. */
export function listRecentUploads(ctx: Pick<AppContext, 'db'>, limit = 24) {
  return ctx.db
    .selectFrom('publishing_uploads')
    .select(['id', 'original_name', 'content_type', 'size_bytes', 'created_at'])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
