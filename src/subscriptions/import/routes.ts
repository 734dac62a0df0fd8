import type { FastifyRequest } from 'fastify';
import { requireAbility } from '../../platform/auth/guards.ts';
import { notFound } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { pageNumber } from '../../platform/views/components/pagination.tsx';
import { staffActorOf } from '../staff-actor.ts';
import { listTopics } from '../topics.ts';
import { commitImport } from './commit-import.ts';
import { discardImport } from './discard-import.ts';
import { exportFileName, exportSubscribers } from './export-subscribers.ts';
import { getImport, listRecentImports, listRejections } from './import-queries.ts';
import { finishUpload, MAX_IMPORT_UPLOAD_BYTES, readFieldsBeforeFile, registerImportMultipart, sizeText, takeUpload } from './upload.ts';
import { validateImport } from './validate-import.ts';
import { ImportListPage, ImportReportPage, ImportUploadPage } from './views/import-pages.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The import id in the URL, or a 404 for anything that cannot be one. */
function importId(request: FastifyRequest): string {
  const { id } = request.params as { id: string };
  if (!UUID.test(id)) throw notFound('That import');
  return id;
}

/** The import and export routes, with the upload size limit given (tests use a small one). */
export function importRoutes(options: { maxUploadBytes: number }): FeatureRoutes {
  return async (app, ctx) => {
    await registerImportMultipart(app, options.maxUploadBytes);
    // Subscriber addresses are personal data: the same ability that sends to subscribers.
    const publish = requireAbility(ctx.config, 'publish');

    const uploadPage = async (errors?: Record<string, string>) => ({
      topics: (await listTopics(ctx.db, { audience: 'staff' })).map(({ slug, name, visibility }) => ({ slug, name, visibility })),
      maxUploadSize: sizeText(options.maxUploadBytes),
      errors,
    });

    app.get('/admin/subscribers/import', { preHandler: publish }, async (_request, reply) =>
      reply.html(ImportUploadPage({ ctx: await reply.pageContext(), ...(await uploadPage()) })),
    );

    // The guard also runs on onRequest, so nobody signed out makes the server read a 200 MB body.
    app.post(
      '/admin/subscribers/import',
      { onRequest: publish, preValidation: readFieldsBeforeFile, preHandler: publish },
      async (request, reply) => {
        try {
          const upload = takeUpload(request, options.maxUploadBytes);
          if (!upload) {
            const errors = { file: 'Choose a CSV file to check.' };
            return reply.html(ImportUploadPage({ ctx: await reply.pageContext(), ...(await uploadPage(errors)) }), 400);
          }
          const checked = await validateImport(ctx, { fileName: upload.fileName, content: upload.content, actor: staffActorOf(request) });
          if (checked.problem) {
            const status = checked.problem.kind === 'too-large' ? 413 : 400;
            const errors = { file: checked.problem.message };
            return reply.html(ImportUploadPage({ ctx: await reply.pageContext(), ...(await uploadPage(errors)) }), status);
          }
          return reply.redirect(`/admin/subscribers/import/${checked.id}`, 303);
        } finally {
          await finishUpload(request).catch((error: unknown) => request.log.info({ err: error }, 'import upload ended early'));
        }
      },
    );

    app.get('/admin/subscribers/import/:id', { preHandler: publish }, async (request, reply) => {
      const summary = await getImport(ctx, importId(request));
      const rejections = await listRejections(ctx, summary, pageNumber(request.query));
      const done = (request.query as Record<string, unknown>).done;
      const notice = done === 'imported' || done === 'discarded' ? done : undefined;
      return reply.html(ImportReportPage({ ctx: await reply.pageContext(), summary, rejections, notice }));
    });

    app.post('/admin/subscribers/import/:id/commit', { preHandler: publish }, async (request, reply) => {
      const id = importId(request);
      await commitImport(ctx, { importId: id, actor: staffActorOf(request) });
      return reply.redirect(`/admin/subscribers/import/${id}?done=imported`, 303);
    });

    app.post('/admin/subscribers/import/:id/discard', { preHandler: publish }, async (request, reply) => {
      const id = importId(request);
      await discardImport(ctx, { importId: id, actor: staffActorOf(request) });
      return reply.redirect(`/admin/subscribers/import/${id}?done=discarded`, 303);
    });

    app.get('/admin/subscribers/imports', { preHandler: publish }, async (_request, reply) =>
      reply.html(ImportListPage({ ctx: await reply.pageContext(), imports: await listRecentImports(ctx) })),
    );

    app.post('/admin/subscribers/export', { preHandler: publish }, async (request, reply) => {
      const csv = await exportSubscribers(ctx, { actor: staffActorOf(request) });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(ctx.clock.now())}"`)
        .send(csv);
    });
  };
}

/** /admin/subscribers/import…, /admin/subscribers/imports and /admin/subscribers/export. */
export const subscriberImportRoutes: FeatureRoutes = importRoutes({ maxUploadBytes: MAX_IMPORT_UPLOAD_BYTES });
