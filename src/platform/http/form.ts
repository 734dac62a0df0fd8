import type { FastifyRequest } from 'fastify';

/**
 * The posted form as plain strings. Repeated fields keep their last value, non-string values are
 * dropped, and a missing body reads as empty, so use-cases validate one predictable shape.
 */
export function formFields(request: FastifyRequest): Record<string, string> {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') fields[key] = last;
  }
  return fields;
}

/** Every value posted under `name` (checkbox groups), strings only, in the order sent. */
export function formValues(request: FastifyRequest, name: string): string[] {
  const body = request.body;
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** A same-site path to return to after signing in; anything else (//evil, https://…) becomes "/". */
export function safeNextPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value.slice(0, 500);
}
