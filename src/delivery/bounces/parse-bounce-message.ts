import type { ParsedMail } from 'mailparser';
import type { BounceKind } from '../../platform/db/schema.ts';
import { type BounceSeverity, classifyFailureText, enhancedStatusIn, severityOfStatus } from './classify.ts';
import { type DeliveryRef, MAX_DELIVERY_TOKEN_LENGTH, readDeliveryToken } from './delivery-token.ts';
import { type FieldGroup, fieldGroups, headerBlock, shortDiagnostic, typedAddress } from './report-fields.ts';

// What a message in the bounce mailbox says: an RFC 3464 delivery status notification, an RFC 5965
// (ARF) complaint, one of the common non-standard bounces (qmail, Exim, old Exchange: text only),
// or nothing we act on (an out-of-office reply, a read receipt, a success notice, spam).

/** One failure the message reports, and which delivery (or address) it is about. */
export interface ParsedReport {
  kind: BounceKind;
  /** RFC 3463 enhanced status ("5.1.1") when the report had one. */
  statusCode: string | null;
  /** The server's words, shortened. */
  diagnostic: string;
  /** The delivery named by a token the message carries, when one verified. */
  delivery: DeliveryRef | null;
  /** The address that failed or complained, when the report names one (to act by address). */
  recipient: string | null;
}

export type ParsedBounceMessage =
  | { outcome: 'reports'; format: 'dsn' | 'arf' | 'text'; reports: ParsedReport[] }
  | { outcome: 'ignored'; reason: string };

/** The file is not an e-mail message at all (or one mailparser cannot read). */
export class UnreadableMessage extends Error {
  override name = 'UnreadableMessage';
}

/** Only the start of a message is searched for tokens and wording: reports put both up front. */
const SCAN_LENGTH = 256 * 1024;
const TOKEN = `[a-z2-7]{53,${MAX_DELIVERY_TOKEN_LENGTH}}`;

/** The raw (unfolded) values of a header, every occurrence, in order. */
function headerValues(mail: ParsedMail, name: string): string[] {
  return mail.headerLines
    .filter((line) => line.key === name)
    .map((line) =>
      line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
}

function verify(secret: string, candidates: Iterable<string>): DeliveryRef | null {
  for (const candidate of candidates) {
    const ref = readDeliveryToken(secret, candidate);
    if (ref) return ref;
  }
  return null;
}

/** Tokens in VERP addresses ("bounces+<token>@domain") within some text. */
function* verpTokens(text: string): Generator<string> {
  for (const match of text.matchAll(new RegExp(`\\+(${TOKEN})@`, 'gi'))) yield match[1] as string;
}

/** A token standing alone (X-Dispatch-Delivery, Original-Envelope-Id) or inside a VERP address. */
function* tokensInValue(value: string | undefined): Generator<string> {
  if (!value) return;
  const bare = value.trim().replace(/^<|>$/g, '');
  if (new RegExp(`^${TOKEN}$`, 'i').test(bare)) yield bare;
  yield* verpTokens(value);
}

/** "<token@domain>" → token. */
function* messageIdTokens(value: string | undefined): Generator<string> {
  if (!value) return;
  for (const match of value.matchAll(new RegExp(`<(${TOKEN})@`, 'gi'))) yield match[1] as string;
}

/** The header blocks of the original message the report quotes (RFC 3462: message/rfc822 or text/rfc822-headers). */
function quotedOriginals(mail: ParsedMail): FieldGroup[] {
  return mail.attachments
    .filter((a) =>
      ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(a.contentType.toLowerCase()),
    )
    .map((a) => headerBlock(a.content.subarray(0, SCAN_LENGTH).toString('utf8')));
}

/**
 * The delivery a report is about, in order of trust in the route: the VERP address it came back
 * to (or the envelope sender the report names), then the quoted original's X-Dispatch-Delivery or
 * Message-ID, then those same patterns anywhere in the raw message (an inline original, or a
 * non-standard bounce that pastes the message under its text). Every candidate must verify.
 */
function findDelivery(secret: string, mail: ParsedMail, raw: string, reportFields: FieldGroup | null): DeliveryRef | null {
  const verp = verify(secret, [
    ...['delivered-to', 'x-original-to', 'to', 'envelope-to'].flatMap((name) =>
      headerValues(mail, name).flatMap((v) => [...verpTokens(v)]),
    ),
    ...tokensInValue(reportFields?.get('original-envelope-id')),
    ...tokensInValue(reportFields?.get('x-postfix-sender')),
    ...tokensInValue(reportFields?.get('original-mail-from')),
  ]);
  if (verp) return verp;
  const originals = quotedOriginals(mail);
  const quoted = verify(secret, [
    ...originals.flatMap((fields) => [...tokensInValue(fields.get('x-dispatch-delivery'))]),
    ...originals.flatMap((fields) => [...messageIdTokens(fields.get('message-id'))]),
  ]);
  if (quoted) return quoted;
  return verify(secret, [
    ...[...raw.matchAll(new RegExp(`^X-Dispatch-Delivery:[ \\t]*(${TOKEN})`, 'gim'))].map((m) => m[1] as string),
    ...[...raw.matchAll(new RegExp(`^Message-ID:[ \\t]*<(${TOKEN})@`, 'gim'))].map((m) => m[1] as string),
    ...verpTokens(raw),
  ]);
}

function reportType(mail: ParsedMail): string | null {
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase() !== 'multipart/report') return null;
  return contentType.params?.['report-type']?.toLowerCase() ?? '';
}

function attachmentText(mail: ParsedMail, ...types: string[]): string | null {
  const part = mail.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  return part ? part.content.subarray(0, SCAN_LENGTH).toString('utf8') : null;
}

/** One report per failed or delayed recipient; when a token names the delivery, its most severe one. */
function merge(reports: ParsedReport[], delivery: DeliveryRef | null): ParsedReport[] {
  if (!delivery || reports.length <= 1) return reports.map((r) => ({ ...r, delivery }));
  const worst = reports.find((r) => r.kind === 'hard') ?? (reports[0] as ParsedReport);
  return [{ ...worst, delivery }];
}

function deliveryStatusReports(secret: string, mail: ParsedMail, raw: string, dsn: string): ParsedBounceMessage {
  const [perMessage = new Map(), ...perRecipient] = fieldGroups(dsn);
  const reports: ParsedReport[] = [];
  for (const fields of perRecipient) {
    const action = fields.get('action')?.toLowerCase().split(/[\s(]/)[0];
    if (action !== 'failed' && action !== 'delayed') continue;
    const status = enhancedStatusIn(fields.get('status') ?? '');
    const diagnosticCode = fields.get('diagnostic-code')?.replace(/^[\w-]+;\s*/, '') ?? '';
    let severity: BounceSeverity | null = status ? severityOfStatus(status) : null;
    let statusCode = status;
    const fromText = classifyFailureText(diagnosticCode);
    if (!severity) {
      severity = fromText.severity ?? 'soft';
      statusCode ??= fromText.statusCode;
    } else if (status === '5.0.0' && (fromText.statusCode || fromText.severity === 'soft')) {
      // 5.0.0 is what an MTA writes when the remote server gave no enhanced code: the server's
      // own words say more (a specific code, or "spam"/"mailbox full", which are not the address).
      severity = fromText.severity ?? severity;
      statusCode = fromText.statusCode ?? statusCode;
    }
    // A delay warning means the server is still trying: never more than soft.
    if (action === 'delayed') severity = 'soft';
    reports.push({
      kind: severity,
      statusCode,
      diagnostic: shortDiagnostic(diagnosticCode || `${action}${status ? ` ${status}` : ''}`),
      delivery: null,
      recipient: typedAddress(fields.get('original-recipient')) ?? typedAddress(fields.get('final-recipient')),
    });
  }
  if (reports.length === 0) return { outcome: 'ignored', reason: 'delivery report without a failed or delayed recipient' };
  return { outcome: 'reports', format: 'dsn', reports: merge(reports, findDelivery(secret, mail, raw, perMessage)) };
}

const COMPLAINT_TYPES = new Set(['abuse', 'fraud']);

function feedbackReport(secret: string, mail: ParsedMail, raw: string, arf: string): ParsedBounceMessage {
  const fields = fieldGroups(arf)[0] ?? new Map<string, string>();
  const type = fields.get('feedback-type')?.toLowerCase() ?? '';
  // not-spam, auth-failure (DMARC), virus, other: reports, but nobody complained about us.
  if (!COMPLAINT_TYPES.has(type)) return { outcome: 'ignored', reason: `feedback report of type "${type || 'none'}" is not a complaint` };
  const agent = fields.get('user-agent');
  return {
    outcome: 'reports',
    format: 'arf',
    reports: [
      {
        kind: 'complaint',
        statusCode: null,
        diagnostic: shortDiagnostic(`Feedback-Type: ${type}${agent ? ` (${agent})` : ''}`),
        delivery: findDelivery(secret, mail, raw, fields),
        recipient: typedAddress(fields.get('original-rcpt-to')),
      },
    ],
  };
}

const AUTO_REPLY_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|absence|vacation|on leave|respuesta autom|réponse automatique)/i;
const BOUNCE_SUBJECT =
  /undeliver|not delivered|delivery (status|failure|failed|notification|problem|has failed)|returned mail|returning message|failure notice|mail delivery failed|non-?delivery|could not be delivered|rejected|delivery incomplete/i;
const BOUNCE_SENDER = /^(mailer-?daemon|mail-daemon|postmaster|mail delivery (system|subsystem))\b/i;
/** Where a non-standard bounce starts pasting the returned message: nothing after it is the server's. */
const QUOTED_COPY =
  /^(-{2,}.*(copy of the message|original message|below this line|returned message|message follows|undelivered message|message headers).*|(Return-Path|Received|Message-ID):.*)$/im;

function isAutoReply(mail: ParsedMail): boolean {
  if (headerValues(mail, 'x-autoreply').length > 0 || headerValues(mail, 'x-autorespond').length > 0) return true;
  if (headerValues(mail, 'precedence').some((v) => /auto_reply/i.test(v))) return true;
  return AUTO_REPLY_SUBJECT.test(mail.subject ?? '');
}

function looksLikeBounce(mail: ParsedMail): boolean {
  if (headerValues(mail, 'x-failed-recipients').length > 0) return true;
  if (headerValues(mail, 'return-path').some((v) => v.replace(/\s/g, '') === '<>')) return true;
  const sender = mail.from?.value[0];
  if (BOUNCE_SENDER.test(sender?.address ?? '') || BOUNCE_SENDER.test(sender?.name ?? '')) return true;
  return BOUNCE_SUBJECT.test(mail.subject ?? '');
}

/** The server's own words: the text before the pasted copy of the message. */
function bounceText(mail: ParsedMail): string {
  const text = (mail.text ?? '').slice(0, SCAN_LENGTH);
  const copy = QUOTED_COPY.exec(text);
  return copy ? text.slice(0, copy.index) : text;
}

/** The line that gave the verdict (and the one before it, which often names the address). */
function diagnosticLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const index = lines.findIndex((line) => /(?<![\d.])([245]\.\d{1,3}\.\d{1,3}|[45][0-5]\d)[ -]/.test(line));
  if (index === -1) return lines.filter(Boolean).slice(-2).join(' ');
  return `${index > 0 ? `${lines[index - 1]} ` : ''}${lines[index]}`;
}

function textBounce(secret: string, mail: ParsedMail, raw: string): ParsedBounceMessage {
  if (isAutoReply(mail)) return { outcome: 'ignored', reason: 'automatic reply' };
  if (!looksLikeBounce(mail)) return { outcome: 'ignored', reason: 'not a bounce: no report, no mailer-daemon sender, no bounce subject' };
  const text = bounceText(mail);
  const { severity, statusCode } = classifyFailureText(text);
  const failed = headerValues(mail, 'x-failed-recipients')[0]?.split(',')[0]?.trim() ?? null;
  return {
    outcome: 'reports',
    format: 'text',
    reports: [
      {
        kind: severity ?? 'soft',
        statusCode,
        diagnostic: shortDiagnostic(diagnosticLine(text)),
        delivery: findDelivery(secret, mail, raw, null),
        recipient: failed?.includes('@') ? failed : null,
      },
    ],
  };
}

/** A header block must open the file (after an optional mbox "From " line). */
function assertLooksLikeMessage(raw: string): void {
  if (raw.trim() === '') throw new UnreadableMessage('the file is empty');
  const head = raw.replace(/^From [^\n]*\n/, '');
  const end = head.search(/\r?\n\r?\n/);
  const block = end === -1 ? head : head.slice(0, end);
  if (block.includes('\u0000')) throw new UnreadableMessage('binary data in the header block');
  const first = block.split(/\r?\n/, 1)[0] ?? '';
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(first)) throw new UnreadableMessage('no header fields at the start of the file');
}

/**
 * Reads a bounce or complaint message. Throws UnreadableMessage when the bytes are not an e-mail
 * message; otherwise says what it reports, or why it is ignored. `secret` is DISPATCH_SECRET.
 */
export async function parseBounceMessage(secret: string, source: Buffer | string): Promise<ParsedBounceMessage> {
  // Latin-1 maps every byte to one character: the token search needs no valid UTF-8.
  const raw = (typeof source === 'string' ? source : source.toString('latin1')).slice(0, SCAN_LENGTH);
  assertLooksLikeMessage(raw);
  // Loaded on first use (every CLI command imports the job list; few read bounces), and outside the
  // try below: a missing module is our fault, not the file's, and must not send it to unreadable/.
  const { simpleParser } = await import('mailparser');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(source, { keepDeliveryStatus: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (error) {
    throw new UnreadableMessage(`mailparser could not read it: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (mail.headerLines.length === 0) throw new UnreadableMessage('no header fields');

  const type = reportType(mail);
  const dsn = attachmentText(mail, 'message/delivery-status', 'message/global-delivery-status');
  if (dsn !== null && (type === null || type === 'delivery-status')) return deliveryStatusReports(secret, mail, raw, dsn);
  const arf = attachmentText(mail, 'message/feedback-report');
  if (arf !== null && (type === null || type === 'feedback-report')) return feedbackReport(secret, mail, raw, arf);
  if (type !== null && type !== 'delivery-status') return { outcome: 'ignored', reason: `report of type "${type}"` };
  return textBounce(secret, mail, raw);
}
