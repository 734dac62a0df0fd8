import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, statusOf } from '../errors.ts';
import { defaultSiteSettings } from '../settings/site-settings.ts';
import { ErrorPage } from '../views/error-page.tsx';
import type { PageContext } from '../views/page-context.ts';

// Messages for errors raised by Fastify and its plugins, in words a person understands.
const frameworkMessages: Record<string, string> = {
  FST_CSRF_MISSING_SECRET: 'Your form session expired. Please go back, reload the page and try again.',
  FST_CSRF_INVALID_TOKEN: 'Your form session expired. Please go back, reload the page and try again.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'What you sent is larger than this form accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This address does not accept that kind of content.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request was empty.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request could not be read.',
};

function messageFor(error: FastifyError, status: number): string {
  if (error.code && frameworkMessages[error.code]) return frameworkMessages[error.code] as string;
  if (status === 429) return 'You have made too many attempts. Please wait a few minutes and try again.';
  if (status === 404) return 'There is nothing at this address. It may have moved, or the link may be mistyped.';
  if (status === 405) return 'This address does not accept that kind of request.';
  return 'The request could not be processed. Please check what you entered and try again.';
}

async function contextFor(reply: FastifyReply): Promise<PageContext> {
  try {
    return await reply.pageContext();
  } catch {
    // The database may be the very thing that failed: render with the defaults.
    return {
      nonce: reply.cspNonce?.script ?? '',
      csrfToken: '',
      settings: defaultSiteSettings,
      viewer: null,
      path: '/',
      secondFactorPostponed: false,
    };
  }
}

async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string, reference?: string) {
  if (request.headers.accept?.includes('application/json') && !request.headers.accept.includes('text/html')) {
    return reply.status(status).send({ error: message, ...(reference ? { reference } : {}) });
  }
  return reply.html(ErrorPage({ ctx: await contextFor(reply), status, message, reference }), status);
}

/** One place maps every error to a status and a page; server faults show only a reference id. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      const status = statusOf[error.code];
      if (error.code === 'FORBIDDEN' || error.code === 'RATE_LIMITED') request.log.warn({ code: error.code }, error.message);
      return sendError(request, reply, status, error.message);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, status }, 'client error');
      return sendError(request, reply, status, messageFor(error, status));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'Something went wrong on our side. It has been logged and we will look into it.', request.id);
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, 404, 'There is nothing at this address. It may have moved, or the link may be mistyped.'),
  );
}
