import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, validation } from '../../../platform/errors.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { detectImageType } from './image-type.ts';
import { MAX_UPLOAD_BYTES, uploadsDir } from './upload-queries.ts';

/** A file name fit for display: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'image';
}

/**
 * Stores an uploaded image under DATA_DIR/uploads/<uuid>.<ext> and records it. The type comes from
 * the file's first bytes; anything but PNG, JPEG, GIF or WebP is refused as a field error on `field`.
 * Uploads are public by design: anyone with the address can fetch them.
 */
export async function storeImageUpload(
  ctx: AppContext,
  options: { data: Buffer; originalName: string; actor: Actor; field?: string },
): Promise<{ id: string; url: string; contentType: string }> {
  const field = options.field ?? 'image';
  if (options.data.length === 0) throw validation({ [field]: 'Choose an image file to upload.' });
  if (options.data.length > MAX_UPLOAD_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'Images can be at most 5 MB.');
  const type = detectImageType(options.data);
  if (!type) throw validation({ [field]: 'The file is not a PNG, JPEG, GIF or WebP image. Choose an image file.' });
  const id = randomUUID();
  const fileName = `${id}.${type.extension}`;
  const dir = uploadsDir(ctx);
  await fs.mkdir(dir, { recursive: true });
  // "wx": never overwrite, even in the impossible case of a repeated UUID.
  await fs.writeFile(path.join(dir, fileName), options.data, { flag: 'wx' });
  await ctx.db
    .insertInto('publishing_uploads')
    .values({
      id,
      file_name: fileName,
      content_type: type.contentType,
      size_bytes: options.data.length,
      original_name: cleanName(options.originalName),
      uploaded_by: options.actor.userId,
      created_at: iso(ctx.clock.now()),
    })
    .execute();
  await ctx.audit.record({
    action: 'upload.created',
    ...auditActor(options.actor),
    subjectType: 'upload',
    subjectId: id,
    details: { contentType: type.contentType, bytes: options.data.length },
  });
  return { id, url: `/uploads/${id}`, contentType: type.contentType };
}
