import nodemailer from 'nodemailer';
import type DKIM from 'nodemailer/lib/dkim/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { type Clock, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { drainWithin } from './drain.ts';

// The transport for bulk mail (bulletins, digests): it carries messages that are already complete
// MIME text. Building the MIME of every message with nodemailer costs about three times what the
// SMTP conversation does, so the sender builds each campaign's message once and hands over bytes;
// this module only moves them, and says precisely how a refusal should be treated.

/** A finished message and the envelope it travels in (one recipient per message). */
export interface RawMessage {
  envelope: { from: string; to: string };
  /** The complete RFC 5322 message, CRLF line ends. */
  raw: string;
}

export interface BulkSendFailure {
  /** True when the same message may go through later (4xx, dropped connection, timeout); false for 5xx. */
  transient: boolean;
  /** The server's reply code, when it replied at all. */
  responseCode: number | null;
  /** RFC 3463 enhanced status ("5.1.1") when the reply carried one. */
  enhancedStatus: string | null;
  /** The SMTP command the reply answered ("MAIL FROM", "RCPT TO", "DATA"), or null for connection trouble. */
  command: string | null;
  /** The server's reply line, or what went wrong when there was none; for reports and the publisher. */
  reply: string;
}

/** A message the server did not accept. */
export class BulkSendError extends Error implements BulkSendFailure {
  readonly transient: boolean;
  readonly responseCode: number | null;
  readonly enhancedStatus: string | null;
  readonly command: string | null;
  readonly reply: string;

  constructor(failure: BulkSendFailure) {
    super(failure.reply);
    this.name = 'BulkSendError';
    this.transient = failure.transient;
    this.responseCode = failure.responseCode;
    this.enhancedStatus = failure.enhancedStatus;
    this.command = failure.command;
    this.reply = failure.reply;
  }
}

export interface BulkTransport {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Resolves once the server has accepted the message (its 250 reply to the data); rejects with a BulkSendError. */
  send(message: RawMessage): Promise<void>;
  /** Refuses new messages, lets those in flight finish (for a bounded time), then closes connections. */
  close(): Promise<void>;
}

export interface BulkTransportOptions {
  /** smtp:// or smtps:// URL of the relay; without one, messages go into the dev mailbox table. */
  smtpUrl: string | undefined;
  /** Connections in the SMTP pool: the most messages in flight at once. */
  maxConnections: number;
  /** nodemailer's DKIM options; when given, the pool signs every message it sends (raw ones too). */
  dkim?: DKIM.Options | undefined;
  db: Db;
  clock: Clock;
}

// How long close() lets messages already handed to the pool finish before cutting them off.
const CLOSE_DRAIN_MS = 10_000;

// A relay that stops answering must not hold a message (and its ledger lease) for nodemailer's
// default ten minutes: after these the message counts as a transient failure and is retried.
const CONNECTION_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 30_000;

export function createBulkTransport(options: BulkTransportOptions): BulkTransport {
  return options.smtpUrl
    ? smtpBulkTransport(bulkPoolOptions(options.smtpUrl, options.maxConnections, options.dkim))
    : devMailboxBulkTransport(options.db, options.clock);
}

/** The nodemailer pool settings of the bulk transport (exported so a benchmark's bare loop uses exactly these). */
export function bulkPoolOptions(smtpUrl: string, maxConnections: number, dkim?: DKIM.Options): SMTPPool.Options {
  return {
    ...(dkim ? { dkim } : {}),
    url: smtpUrl,
    pool: true,
    maxConnections,
    // Reconnecting every 100 messages (the default) would cost a handshake per 100 at a million.
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // The messages are bytes we built; nothing in them may make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function smtpBulkTransport(poolOptions: SMTPPool.Options): BulkTransport {
  const pool = nodemailer.createTransport(poolOptions);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  return {
    kind: 'smtp',
    async send(message) {
      if (closed) throw transportClosed();
      const sending = pool.sendMail({ envelope: { from: message.envelope.from, to: [message.envelope.to] }, raw: message.raw });
      inFlight.add(sending);
      try {
        await sending;
      } catch (error) {
        throw failureOf(error);
      } finally {
        inFlight.delete(sending);
      }
    },
    async close() {
      closed = true;
      const drained = await drainWithin([...inFlight], CLOSE_DRAIN_MS);
      pool.close({ force: !drained });
    },
  };
}

/** A message handed to a transport after close(): transient, since another worker may still send it. */
function transportClosed(): BulkSendError {
  return new BulkSendError({
    transient: true,
    responseCode: null,
    enhancedStatus: null,
    command: null,
    reply: 'The bulk transport is closed',
  });
}

/** What a nodemailer error means for a sender: retry later or not, and the server's words. */
export function failureOf(error: unknown): BulkSendError {
  if (error instanceof BulkSendError) return error;
  const e = (error ?? {}) as { message?: unknown; code?: unknown; response?: unknown; responseCode?: unknown; command?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const reply = typeof e.response === 'string' && e.response.trim() !== '' ? e.response.trim() : message;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' && e.command !== 'API' && e.command !== 'CONN' ? e.command : null;
  // RFC 5321: 5yz is permanent, 4yz transient. 503 (bad sequence) says the session was in the
  // wrong state, not that the message was refused. No reply at all (dropped connection, timeout,
  // TLS trouble) is transient: the message may well go through on another connection.
  let transient = responseCode === null ? true : !(responseCode >= 500 && responseCode < 600 && responseCode !== 503);
  // nodemailer refusing the envelope itself (an address it cannot put in a command) will refuse it
  // again on every try.
  if (responseCode === null && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')) transient = false;
  const enhancedStatus = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply)?.[1] ?? null;
  return new BulkSendError({ transient, responseCode, enhancedStatus, command, reply: reply.slice(0, 500) });
}

function devMailboxBulkTransport(db: Db, clock: Clock): BulkTransport {
  let closed = false;
  return {
    kind: 'dev-mailbox',
    async send(message) {
      if (closed) throw transportClosed();
      await db
        .insertInto('dev_mail')
        .values({
          created_at: iso(clock.now()),
          sender: message.envelope.from,
          recipients: message.envelope.to,
          subject: subjectOf(message.raw),
          // The dev mailbox keeps LF line ends, as the transactional mailer stores them.
          raw: message.raw.replace(/\r\n/g, '\n'),
        })
        .execute();
    },
    async close() {
      closed = true;
    },
  };
}

/** The decoded Subject header of a raw message, for the dev mailbox list. */
export function subjectOf(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const line = /^subject:[ \t]*(.*)$/im.exec(head)?.[1] ?? '';
  return decodeEncodedWords(line.trim());
}

/** RFC 2047 encoded-words (=?charset?B|Q?text?=); whitespace between two of them is dropped. */
function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(word, (_all, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
              'latin1',
            );
      try {
        return new TextDecoder(charset.split('*')[0]).decode(bytes);
      } catch {
        return bytes.toString('latin1');
      }
    });
}
