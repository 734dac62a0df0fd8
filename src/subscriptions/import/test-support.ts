import type { FastifyInstance } from 'fastify';
import { Browser, createStaff } from '../../../test/support/app.ts';
import { createSession } from '../../platform/auth/sessions.ts';
import type { AppContext } from '../../platform/context.ts';
import { cookieName } from '../../platform/http/security.ts';

// Helpers for the import tests (not a test file itself).

/**
 * A browser signed in as a new staff member. The session is minted directly, with the second factor
 * settled for roles that need one: these tests are about the import, not about signing in.
 */
export async function staffBrowser(app: FastifyInstance, ctx: AppContext, role: 'editor' | 'publisher' | 'admin') {
  const staff = await createStaff(ctx, role);
  const token = await createSession(ctx.db, ctx.clock, { userId: staff.userId, awaitingSecondFactor: false, secondFactorVerified: true });
  const browser = new Browser(app);
  browser.cookies.set(cookieName(ctx.config, 'dispatch_session'), token);
  return { browser, ...staff };
}

/** A multipart/form-data body: the fields in order, then (unless `fileFirst`) the file. */
export function multipartForm(
  fields: Record<string, string>,
  file?: { name: string; fileName: string; data: Buffer; contentType?: string },
  options: { fileFirst?: boolean } = {},
) {
  const boundary = `----dispatch-import-${Math.random().toString(16).slice(2)}`;
  const fieldParts = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  const fileParts = file
    ? [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.fileName}"\r\nContent-Type: ${file.contentType ?? 'text/csv'}\r\n\r\n`,
        ),
        file.data,
        Buffer.from('\r\n'),
      ]
    : [];
  const parts = options.fileFirst ? [...fileParts, ...fieldParts] : [...fieldParts, ...fileParts];
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Posts a CSV to the import form the way the page's form does: the token first, then the file. */
export function uploadCsv(
  browser: Browser,
  csv: string | Buffer,
  options: { token?: string; fileName?: string; fileFirst?: boolean } = {},
) {
  const body = multipartForm(
    options.token === undefined ? {} : { _csrf: options.token },
    { name: 'file', fileName: options.fileName ?? 'subscribers.csv', data: typeof csv === 'string' ? Buffer.from(csv) : csv },
    { fileFirst: options.fileFirst },
  );
  return browser.request({
    method: 'POST',
    url: '/admin/subscribers/import',
    payload: body.payload,
    headers: { 'content-type': body.contentType },
  });
}
