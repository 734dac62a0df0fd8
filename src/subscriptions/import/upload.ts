import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ImportFileProblem } from './utf8-check.ts';

// The import's upload is streamed straight into the validator, never held in memory or on disk.
// That rules out the editorial uploads' way (attachFieldsToBody reads every part before the route
// runs), so the parts are read by hand: a preValidation hook reads the fields that come before the
// file (the form puts the anti-forgery token first), puts them in request.body for the platform's
// CSRF check, and leaves the file unread; only once the check has passed does the route read it.

export const MAX_IMPORT_UPLOAD_BYTES = 200 * 1024 * 1024;

export interface ImportUpload {
  fileName: string;
  /** The file's bytes; fails with an ImportFileProblem ("too-large") once past the size limit. */
  content: AsyncIterable<Uint8Array>;
}

const pending = new WeakMap<FastifyRequest, { file: MultipartFile | undefined; parts: AsyncIterableIterator<Multipart> }>();

/** Multipart parsing for the import scope: one file of at most `maxBytes`, a few short fields. */
export async function registerImportMultipart(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 8 } });
}

/** preValidation hook: the fields before the file become request.body; the file waits. */
export async function readFieldsBeforeFile(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const parts = request.parts();
  const fields: Record<string, string> = {};
  let file: MultipartFile | undefined;
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    const part = next.value;
    if (part.type === 'file') {
      file = part;
      break;
    }
    fields[part.fieldname] = String(part.value);
  }
  request.body = fields;
  pending.set(request, { file, parts });
}

/** "200 MB", or "64 KB" for limits under a megabyte. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

function tooLarge(maxBytes: number): ImportFileProblem {
  return new ImportFileProblem(
    `The file is larger than ${sizeText(maxBytes)}. Split it into smaller files, or import it with the command line (dispatch subscribers import).`,
    'too-large',
  );
}

/**
 * The file chosen in the form, or undefined when none was (browsers send an empty part without a
 * name). Past the size limit busboy stops passing data on and marks the stream truncated; the rest
 * of the upload is still read (and dropped) before the failure, so the browser gets to read the answer.
 */
export function takeUpload(request: FastifyRequest, maxBytes: number): ImportUpload | undefined {
  const file = pending.get(request)?.file;
  if (!file || file.filename === '') return undefined;
  const stream = file.file;
  async function* content(): AsyncGenerator<Uint8Array> {
    let truncated = false;
    for await (const chunk of stream) {
      truncated ||= stream.truncated;
      if (!truncated) yield chunk as Uint8Array;
    }
    if (truncated || stream.truncated) throw tooLarge(maxBytes);
  }
  return { fileName: file.filename, content: content() };
}

/** Reads and drops whatever of the request is still unread, so it ends cleanly. */
export async function finishUpload(request: FastifyRequest): Promise<void> {
  const upload = pending.get(request);
  pending.delete(request);
  if (!upload) return;
  if (upload.file && !upload.file.file.readableEnded && !upload.file.file.destroyed) upload.file.file.resume();
  for (let next = await upload.parts.next(); !next.done; next = await upload.parts.next()) {
    if (next.value.type === 'file') next.value.file.resume();
  }
}
