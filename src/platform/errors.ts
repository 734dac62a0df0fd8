/**
 * The one error type use-cases throw for expected failures. The HTTP error handler maps the code to
 * a status and a page; anything else is a bug, logged with its stack and shown only as a reference id.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  /** Input a person can correct; `fields` carries one message per form field. */
  | 'VALIDATION'
  /** The request is valid but the current state forbids it (already used, already started). */
  | 'CONFLICT'
  | 'RATE_LIMITED'
  /** Signed-in session required. */
  | 'UNAUTHENTICATED'
  | 'PAYLOAD_TOO_LARGE';

export const statusOf: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'The page you asked for') => new AppError('NOT_FOUND', `${what} could not be found.`);

export const validation = (fields: Record<string, string>, message = 'Please correct the errors below.') =>
  new AppError('VALIDATION', message, fields);

/**
 * For a route that re-renders its form on bad input: the per-field messages of a VALIDATION
 * error. Any other error is rethrown to the error handler.
 */
export function validationFieldsOf(error: unknown): Record<string, string> {
  if (error instanceof AppError && error.code === 'VALIDATION') return error.fields;
  throw error;
}
