import pino from 'pino';

// Secret links carry their token in the path (/setup/<token>, /unsubscribe/<signed token>); logs
// must never hold a usable one. Random tokens are 43 base64url characters, signed ones a payload and
// a 43-character MAC joined by a dot: blank any such path segment.
const TOKEN_SEGMENT = /\/(?:[A-Za-z0-9_-]{16,64}\.)?[A-Za-z0-9_-]{43}(?=$|[/?#.])/g;
// The subscribe box sends the address in the query string (/subscribe?email=…); logs keep no addresses.
const EMAIL_PARAMETER = /([?&]email=)[^&#]*/gi;

/** A URL fit for the logs: token-like path segments replaced by "/[token]", addresses by "[address]". */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, '/[token]').replace(EMAIL_PARAMETER, '$1[address]');
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
