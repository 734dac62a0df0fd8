import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { formFields } from '../../../platform/http/form.ts';

/**
 * The posted form: single fields as strings (the platform's `formFields`), plus every value of a
 * repeated field (checkbox groups such as topics), which `formFields` reduces to the last one.
 */
export interface PostedForm {
  fields: Record<string, string>;
  all(name: string): string[];
}

export function postedForm(request: FastifyRequest): PostedForm {
  const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
  return {
    fields: formFields(request),
    all(name) {
      const value = Object.hasOwn(body, name) ? body[name] : undefined;
      const values = Array.isArray(value) ? value : [value];
      return values.filter((v): v is string => typeof v === 'string' && v !== '');
    },
  };
}

/** A route's `:id` parameter; anything implausible is a 400 rather than a database lookup. */
export function idParam(params: unknown, name = 'id'): string {
  const raw = (params as Record<string, unknown>)[name];
  if (typeof raw !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(raw)) {
    throw new AppError('VALIDATION', 'That address does not name a valid item. Check the link and try again.');
  }
  return raw;
}
