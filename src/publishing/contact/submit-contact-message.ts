import { z } from 'zod';
import { emailSchema } from '../../accounts/email-address.ts';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';

/** The field people never see (hidden off screen and from assistive technology); bots fill it in. */
export const HONEYPOT_FIELD = 'website';

/** Longest accepted values, in characters (the e-mail address is limited by emailSchema to 254). */
export const CONTACT_FIELD_LIMITS = { name: 200, subject: 200, message: 5000 } as const;

// A one-line field keeps no control characters: a CR or LF in the subject would otherwise reach
// the mail's Subject header (the mailer refuses such mail, and the message would go unsent).
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
const oneLine = (value: string) => value.replace(CONTROL_CHARACTERS, ' ');

const contactSchema = z.object({
  name: z
    .string()
    .transform(oneLine)
    .pipe(z.string().trim().max(CONTACT_FIELD_LIMITS.name, `Use at most ${CONTACT_FIELD_LIMITS.name} characters for your name.`)),
  email: emailSchema,
  subject: z
    .string()
    .transform(oneLine)
    .pipe(
      z
        .string()
        .trim()
        .min(1, 'Enter a subject.')
        .max(CONTACT_FIELD_LIMITS.subject, `Use at most ${CONTACT_FIELD_LIMITS.subject} characters for the subject.`),
    ),
  // Browsers send textarea line breaks as CR LF but count them as one character, as we do.
  message: z
    .string()
    .transform((value) => value.replace(/\r\n?/g, '\n'))
    .pipe(
      z
        .string()
        .trim()
        .min(1, 'Enter your message.')
        .max(CONTACT_FIELD_LIMITS.message, 'Your message is longer than 5,000 characters. Shorten it, or send it in two parts.'),
    ),
});

export interface ContactSubmission {
  name?: string | undefined;
  email: string;
  subject: string;
  message: string;
  /** The hidden field's value: anything in it marks the sender as a bot. */
  honeypot?: string | undefined;
}

export type ContactSubmissionResult =
  /** Stored for the inbox; `mailed` says whether the copy to the editorial board went out. */
  | { kind: 'received'; id: number; mailed: boolean }
  /** The honeypot was filled: nothing stored, nothing sent, and the sender is told the same thanks. */
  | { kind: 'discarded' };

/**
 * A message from the public Contact Us form: validated, stored with status "new", then e-mailed to
 * the editorial board with Reply-To set to the sender. The inbox is the source of truth, so a mail
 * failure is logged and the message stays stored.
 */
export async function submitContactMessage(ctx: AppContext, submission: ContactSubmission): Promise<ContactSubmissionResult> {
  if ((submission.honeypot ?? '').trim() !== '') {
    ctx.log.info({ field: HONEYPOT_FIELD }, 'contact form: hidden field filled in, message discarded');
    return { kind: 'discarded' };
  }

  const parsed = contactSchema.safeParse({
    name: submission.name ?? '',
    email: submission.email,
    subject: submission.subject,
    message: submission.message,
  });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
    throw validation(fields);
  }
  const { name, email, subject, message } = parsed.data;

  const now = iso(ctx.clock.now());
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('publishing_contact_messages')
      .values({ created_at: now, updated_at: now, name, email, subject, message, status: 'new' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  });

  const settings = await getSiteSettings(ctx.db);
  try {
    await ctx.mailer.send({
      from: settings.transactionalFrom,
      to: settings.editorialBoardEmail,
      replyTo: email,
      subject: `[Contact] ${subject}`,
      text: [
        `A message from the Contact Us form of ${settings.siteName}. Reply to this e-mail to answer the sender.`,
        '',
        `Name: ${name || '(not given)'}`,
        `E-mail: ${email}`,
        `Subject: ${subject}`,
        `Received: ${now}`,
        `In the inbox: ${ctx.config.publicUrl}/admin/contact/${id}`,
        '',
        message,
        '',
      ].join('\n'),
    });
    return { kind: 'received', id, mailed: true };
  } catch (error) {
    ctx.log.error({ err: error, contactMessageId: id }, 'contact message stored but not e-mailed to the editorial board');
    return { kind: 'received', id, mailed: false };
  }
}
