import pino from 'pino';

// Secret links carry their token in the path (/setup/<token>, /account/recover/<token>); logs must
// never hold a usable one. Tokens are 43 base64url characters: blank any such path segment.
const TOKEN_SEGMENT = /\/[A-Za-z0-9_-]{43}(?=$|[/?#.])/g;

/** A URL fit for the logs: long token-like path segments replaced by "/[token]". */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, '/[token]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
}

/** The process logger: JSON lines, cookies never logged, secret tokens blanked out of URLs. */
export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    serializers: {
      req: (request: LoggedRequest) => ({ method: request.method, url: redactUrl(request.url ?? ''), host: request.host, ip: request.ip }),
      err: pino.stdSerializers.err,
    },
  });
}
