import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { requireAbility } from '../../../platform/auth/guards.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, notFound, validationFieldsOf } from '../../../platform/errors.ts';
import { actorOf } from '../shared/actor.ts';
import { UploadsPage } from '../views/uploads-page.tsx';
import { IMAGE_CONTENT_TYPES } from './image-type.ts';
import { uploadedFile } from './multipart.ts';
import { storeImageUpload } from './store-image-upload.ts';
import { findUpload, listRecentUploads } from './upload-queries.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Image uploads: the staff upload page, and GET /uploads/:id for everyone. */
export async function uploadRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const edit = requireAbility(ctx.config, 'edit');

  app.get('/admin/uploads', { preHandler: edit }, async (request, reply) =>
    reply.html(
      UploadsPage({ ctx: await reply.pageContext(), uploads: await listRecentUploads(ctx), uploaded: uploadedNotice(request.query) }),
    ),
  );

  // The guard runs on onRequest, so nobody signed out can make the server read a 5 MB body.
  app.post('/admin/uploads', { onRequest: edit, preHandler: edit }, async (request, reply) => {
    try {
      const file = uploadedFile(request, 'image');
      if (!file) throw new AppError('VALIDATION', 'Choose an image file to upload.', { image: 'Choose an image file to upload.' });
      const stored = await storeImageUpload(ctx, { data: file.data, originalName: file.originalName, actor: actorOf(request, ctx.config) });
      return reply.redirect(`/admin/uploads?uploaded=${stored.id}`, 303);
    } catch (error) {
      const errors = validationFieldsOf(error);
      return reply.html(UploadsPage({ ctx: await reply.pageContext(), uploads: await listRecentUploads(ctx), errors }), 400);
    }
  });

  // Public by design: uploads are images for articles, and their addresses are unguessable UUIDs.
  app.get('/uploads/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError('VALIDATION', 'That is not the address of an upload.');
    const upload = await findUpload(ctx, id);
    if (!upload || !IMAGE_CONTENT_TYPES.has(upload.content_type)) throw notFound('That image');
    let stream: fs.ReadStream;
    try {
      await fs.promises.access(upload.filePath, fs.constants.R_OK);
      stream = fs.createReadStream(upload.filePath);
    } catch {
      throw notFound('That image');
    }
    return reply
      .type(upload.content_type)
      .header('content-length', String(upload.size_bytes))
      .header('content-disposition', 'inline')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(stream);
  });
}

/** The query's `uploaded` id, if it is one. */
function uploadedNotice(query: unknown): string | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.uploaded;
  return typeof raw === 'string' && UUID.test(raw) ? raw : undefined;
}
