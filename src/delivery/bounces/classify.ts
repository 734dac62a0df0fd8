import type { BounceKind } from '../../platform/db/schema.ts';

// Hard or soft. A hard bounce suppresses the address for good, so "hard" is kept for what says the
// address itself is bad; whatever is about the message, the receiving system or its policy, or
// cannot be recognised, is soft (as listmonk does), and only repeated soft bounces suppress.

export type BounceSeverity = Exclude<BounceKind, 'complaint'>;

/** An RFC 3463 enhanced status code, "class.subject.detail". */
const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;
/** A basic SMTP reply code as it starts a reply line: "550 ", "550-". */
const BASIC = /(?<![\d.:[])([45][0-5]\d)(?=[ -][A-Za-z0-9<])/;

const SOFT_WORDS =
  /mailbox (is )?full|over ?quota|quota (exceeded|full)|insufficient (disk )?(space|storage)|temporar(y|ily)|try again later|greylist|deferr|timed out|connection refused|too many (connections|messages|recipients)|rate limit|message (is )?too (large|big)|\bspam\b|block(ed|list)|blacklist|policy|reputation|dmarc|\bspf\b|dkim/i;
const HARD_WORDS =
  /user unknown|unknown (user|recipient|mailbox)|no such (user|mailbox|recipient|address|account)|does ?n[o']t exist|not exist|invalid (recipient|mailbox|address)|recipient (address )?rejected|address rejected|mailbox (unavailable|not found|disabled|inactive)|account (has been )?(disabled|closed|deactivated|suspended)|recipient not found|unrouteable|no mailbox here|bad destination|host (or domain name )?not found|domain (does not exist|not found)/i;

/**
 * Severity of an enhanced status: null for success (2.x.x); soft for temporary failures (4.x.x)
 * and for permanent ones that are not about the address: 5.2.2 mailbox full, 5.2.3 message too
 * long, 5.3.x the receiving system, 5.6.x the content, 5.7.x policy (a spam block says nothing
 * about whether the reader exists). Every other 5.x.x (bad mailbox, bad domain, disabled mailbox,
 * routing) is hard.
 */
export function severityOfStatus(status: string): BounceSeverity | null {
  const match = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(status.trim());
  if (!match) return null;
  const [, klass, subject, detail] = match;
  if (klass === '2') return null;
  if (klass === '4') return 'soft';
  if (subject === '2' && (detail === '2' || detail === '3')) return 'soft';
  if (subject === '3' || subject === '6' || subject === '7') return 'soft';
  return 'hard';
}

/** The first enhanced status code in some text, e.g. "5.1.1", or null. */
export function enhancedStatusIn(text: string): string | null {
  const match = ENHANCED.exec(text);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
}

/**
 * Severity and status of a free-text failure (a reply line, a Diagnostic-Code, a non-standard
 * bounce): the enhanced code when there is one, then wording, then the basic reply code; soft when
 * nothing is recognised. Success codes give a null severity.
 */
export function classifyFailureText(text: string): { severity: BounceSeverity | null; statusCode: string | null } {
  const enhanced = enhancedStatusIn(text);
  if (enhanced) return { severity: severityOfStatus(enhanced), statusCode: enhanced };
  if (SOFT_WORDS.test(text)) return { severity: 'soft', statusCode: null };
  if (HARD_WORDS.test(text)) return { severity: 'hard', statusCode: null };
  const basic = BASIC.exec(text)?.[1];
  if (basic) return { severity: basic.startsWith('5') ? 'hard' : 'soft', statusCode: null };
  return { severity: 'soft', statusCode: null };
}

/**
 * For the engine: the severity of an SMTP server's refusal while sending (nodemailer's
 * responseCode and response text). 5xx is hard unless its enhanced status or wording says the
 * problem is not the address; 4xx is soft.
 */
export function classifySmtpReply(responseCode: number, response: string): { severity: BounceSeverity; statusCode: string | null } {
  const { severity, statusCode } = classifyFailureText(response);
  if (responseCode >= 400 && responseCode < 500) return { severity: 'soft', statusCode };
  if (statusCode) return { severity: severity ?? 'hard', statusCode };
  return { severity: SOFT_WORDS.test(response) ? 'soft' : 'hard', statusCode: null };
}
