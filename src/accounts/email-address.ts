import { z } from 'zod';

/** Staff e-mail addresses are compared and stored lower-cased and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An RFC 5321-sized address (254 characters at most) that zod recognises as an e-mail. */
export const emailSchema = z
  .string()
  .trim()
  .min(1, 'Enter your e-mail address.')
  .max(254, 'An e-mail address has at most 254 characters.')
  .pipe(z.email('Enter an e-mail address like name@example.gov.'))
  .transform(normaliseEmail);
