import type { FastifyError } from 'fastify';
import { AppError, statusOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { recordWebhookBounces } from './record-webhook-bounces.ts';
import { SIGNATURE_HEADER, type SignatureVerdict, verifyWebhookSignature } from './webhook-signature.ts';

/** Largest webhook body accepted (a provider batches at most a few hundred events). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Per client address per minute: providers post from a few addresses, in bursts after a big send. */
export const WEBHOOK_POSTS_PER_MINUTE = 600;

const refusals: Record<Exclude<SignatureVerdict, 'valid'>, string> = {
  missing: 'missing Dispatch-Signature header',
  malformed: 'malformed Dispatch-Signature header',
  stale: 'signature timestamp too old or in the future',
  mismatch: 'signature does not match',
};

const frameworkErrors: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `body larger than ${WEBHOOK_BODY_LIMIT} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty body',
};

/** POST /webhooks/bounces: bounces and complaints from a mail provider, signed with BOUNCE_WEBHOOK_SECRET. */
export const bounceRoutes: FeatureRoutes = async (parent, ctx) => {
  await parent.register(async (app) => {
    // This scope only: the body stays raw bytes, because the signature is over exactly those bytes
    // (re-serialised JSON would not match); it is parsed after the signature checks out.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => {
      done(null, body);
    });

    // A machine is on the other end: short JSON errors, never the HTML error page.
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error instanceof AppError) return reply.code(statusOf[error.code]).send({ error: error.message });
      const status = error.statusCode ?? 500;
      if (status < 500) return reply.code(status).send({ error: (error.code && frameworkErrors[error.code]) || 'the request was refused' });
      request.log.error({ err: error }, 'bounce webhook failed');
      return reply.code(500).send({ error: 'internal error', reference: request.id });
    });

    app.post(
      '/webhooks/bounces',
      {
        bodyLimit: WEBHOOK_BODY_LIMIT,
        // No CSRF token can come with a provider's request; the signature authenticates it.
        config: { csrf: false, rateLimit: { max: WEBHOOK_POSTS_PER_MINUTE, timeWindow: 60_000 } },
        // Without a secret the webhook does not exist: refuse before reading the body.
        onRequest: async (_request, reply) => {
          if (!ctx.config.delivery.bounceWebhookSecret) return reply.code(404).send({ error: 'not found' });
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        const secret = ctx.config.delivery.bounceWebhookSecret as string;
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const verdict = verifyWebhookSignature(secret, request.headers[SIGNATURE_HEADER], raw, ctx.clock.now());
        if (verdict !== 'valid') {
          request.log.warn({ verdict }, 'bounce webhook: signature refused');
          return reply.code(401).send({ error: refusals[verdict] });
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return reply.code(400).send({ error: 'body: not valid JSON' });
        }
        const result = await recordWebhookBounces(ctx, body);
        request.log.info(result, 'bounce webhook: events recorded');
        return reply.code(200).send(result);
      },
    );
  });
};
