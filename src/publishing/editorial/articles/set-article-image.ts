import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/errors.ts';
import { type Actor, assertMayPublish, PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import { storeImageUpload } from '../uploads/store-image-upload.ts';
import { findArticle } from './article-queries.ts';
import { afterArticleChange, recordArticleRevision } from './article-revisions.ts';

/**
 * Uploads an image and makes it the article's image, with its alt text (required: the image must
 * be described for people who cannot see it). The alt text is checked before the file is stored.
 */
export async function setArticleImage(
  ctx: AppContext,
  options: { articleId: string; actor: Actor; file: { data: Buffer; originalName: string } | undefined; alt: string },
): Promise<{ uploadId: string }> {
  const article = await findArticle(ctx.db, options.articleId);
  if (!article) throw notFound('That article');
  if (article.status === 'published' || article.status === 'scheduled') assertMayPublish(options.actor, PUBLISHED_CONTENT_MESSAGE);
  const errors = new FieldErrors();
  const alt = errors.required('newImageAlt', options.alt, 'alt text describing the image', 500);
  if (!options.file || options.file.data.length === 0) errors.add('image', 'Choose an image file to upload.');
  errors.throwIfAny();
  const upload = await storeImageUpload(ctx, { ...options.file!, actor: options.actor, field: 'image' });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('publishing_articles')
      .set({ image_upload_id: upload.id, image_alt: alt, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', article.id)
      .execute();
    await recordArticleRevision(trx, ctx.clock, { articleId: article.id, actor: options.actor, change: 'edited' });
  });
  await afterArticleChange(ctx, { articleId: article.id, actor: options.actor, change: 'edited', details: { image: upload.id } });
  return { uploadId: upload.id };
}
