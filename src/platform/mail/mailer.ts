import nodemailer, { type SendMailOptions } from 'nodemailer';
import { type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { drainWithin } from './drain.ts';

export interface OutgoingMail {
  from: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  headers?: Record<string, string>;
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
  readonly kind: 'smtp' | 'dev-mailbox';
}

// How long close() lets messages already handed to the SMTP pool finish before it cuts them off:
// a server trickling its replies would otherwise hold shutdown forever.
const CLOSE_DRAIN_MS = 10_000;

// An RFC 5322 field name: printable ASCII without the colon.
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** Mails through an SMTP pool when `smtpUrl` is set, otherwise into the `dev_mail` table. */
export function createMailer(opts: { smtpUrl?: string | undefined; db: Db; clock: Clock }): Mailer {
  return opts.smtpUrl ? smtpMailer(opts.smtpUrl, opts.clock) : devMailboxMailer(opts.db, opts.clock);
}

/** Throws when a header-bound field could smuggle extra header lines (CR or LF) or is malformed. */
export function assertNoHeaderInjection(mail: OutgoingMail): void {
  const fields: Array<[string, string | undefined]> = [
    ['subject', mail.subject],
    ['from', mail.from],
    ['replyTo', mail.replyTo],
    ['messageId', mail.messageId],
    ...(Array.isArray(mail.to) ? mail.to : [mail.to]).map((to): [string, string] => ['to', to]),
  ];
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!FIELD_NAME.test(name)) throw new Error(`Refusing to send mail: invalid header name ${JSON.stringify(name)}`);
    fields.push([`header ${name}`, value]);
  }
  for (const [field, value] of fields) {
    if (value !== undefined && /[\r\n]/.test(value)) {
      throw new Error(`Refusing to send mail: ${field} contains a line break (CR or LF), a header injection attempt`);
    }
  }
}

function toNodemailer(mail: OutgoingMail, clock: Clock): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    ...(mail.replyTo !== undefined ? { replyTo: mail.replyTo } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.messageId !== undefined ? { messageId: mail.messageId } : {}),
    // The Date header follows the app clock, so tests and the dev mailbox agree on "when".
    date: clock.now(),
  };
}

function smtpMailer(smtpUrl: string, clock: Clock): Mailer {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true });
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  return {
    kind: 'smtp',
    async send(mail) {
      if (closed) throw new Error('Mailer is closed');
      assertNoHeaderInjection(mail);
      const sending = transport.sendMail(toNodemailer(mail, clock));
      inFlight.add(sending);
      try {
        const info = await sending;
        return { messageId: info.messageId };
      } finally {
        inFlight.delete(sending);
      }
    },
    async close() {
      closed = true;
      // The pool fails whatever is still queued when it closes, so let accepted messages go out first.
      const drained = await drainWithin([...inFlight], CLOSE_DRAIN_MS);
      transport.close({ force: !drained });
    },
  };
}

function devMailboxMailer(db: Db, clock: Clock): Mailer {
  // The stream transport builds the exact MIME message SMTP would carry, without a server.
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  let closed = false;
  return {
    kind: 'dev-mailbox',
    async send(mail) {
      if (closed) throw new Error('Mailer is closed');
      assertNoHeaderInjection(mail);
      const info = await transport.sendMail(toNodemailer(mail, clock));
      // `buffer: true` promises a Buffer; storing an empty message instead would hide a bug.
      if (!Buffer.isBuffer(info.message)) throw new Error('Dev mailbox: the stream transport returned no message buffer');
      const raw = info.message.toString('utf8');
      await db
        .insertInto('dev_mail')
        .values({
          created_at: iso(clock.now()),
          sender: info.envelope.from || mail.from,
          recipients: info.envelope.to.join(', '),
          subject: mail.subject,
          raw,
        })
        .execute();
      return { messageId: info.messageId };
    },
    async close() {
      closed = true;
      transport.close();
    },
  };
}
