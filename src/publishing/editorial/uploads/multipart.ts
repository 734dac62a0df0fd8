import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { MAX_UPLOAD_BYTES } from './upload-queries.ts';

/** A file field of a multipart form, read into memory (at most 5 MB). */
export interface UploadedFile {
  kind: 'uploaded-file';
  data: Buffer;
  originalName: string;
}

export const TOO_LARGE_MESSAGE = 'Images can be at most 5 MB.';

function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'uploaded-file';
}

/**
 * Multipart forms for the editorial scope only. Fields land in `request.body` as strings, so the
 * platform's CSRF check reads `_csrf` from a multipart form exactly as from any other; a file field
 * becomes an UploadedFile. A file over the limit is a 413 with a plain message.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024 },
    async onFile(part: MultipartFile) {
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE);
        throw error;
      }
      part.value = { kind: 'uploaded-file', data, originalName: part.filename ?? '' } satisfies UploadedFile;
    },
  });
}

/** The uploaded file in a form field, or undefined when none was chosen. */
export function uploadedFile(request: FastifyRequest, name: string): UploadedFile | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body && Object.hasOwn(body, name) ? body[name] : undefined;
  return isUploadedFile(value) && value.data.length > 0 ? value : undefined;
}
