import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyFailureText, classifySmtpReply, severityOfStatus } from './classify.ts';
import { deliveryToken } from './delivery-token.ts';
import { parseBounceMessage, UnreadableMessage } from './parse-bounce-message.ts';
import { fixture } from './test-support.ts';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const recipient = 'pat.reader@county-mail.example';

function delivery() {
  const ref = { campaignId: 42, subscriberId: randomUUID() };
  return { ref, token: deliveryToken(SECRET, ref) };
}

const reportsOf = (name: string, fill: { token?: string; recipient?: string }) => reportsIn(fixture(name, fill));

async function reportsIn(raw: string) {
  const parsed = await parseBounceMessage(SECRET, Buffer.from(raw));
  if (parsed.outcome !== 'reports') throw new Error(`expected reports, got: ${parsed.reason}`);
  return parsed;
}

describe('parsing bounce and complaint messages', () => {
  it('reads a Postfix DSN as a hard bounce mapped by the VERP address it came back to', async () => {
    const { ref, token } = delivery();
    const parsed = await reportsOf('postfix-hard.eml', { token, recipient });
    expect(parsed.format).toBe('dsn');
    expect(parsed.reports).toEqual([
      {
        kind: 'hard',
        statusCode: '5.1.1',
        diagnostic: `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`,
        delivery: ref,
        recipient,
      },
    ]);
  });

  it('reads an Exchange DSN sent to the bare bounce address, mapped by the quoted original Message-ID', async () => {
    const { ref, token } = delivery();
    const raw = fixture('exchange-hard.eml', { token, recipient });
    // The report came back to the plain address: only the quoted message names the delivery.
    expect(raw).not.toContain(`+${token}@`);
    const parsed = await parseBounceMessage(SECRET, raw);
    expect(parsed).toMatchObject({
      outcome: 'reports',
      format: 'dsn',
      reports: [{ kind: 'hard', statusCode: '5.1.10', delivery: ref, recipient }],
    });
  });

  it('reads a delay warning as a soft bounce', async () => {
    const { ref, token } = delivery();
    const parsed = await reportsOf('postfix-delayed.eml', { token, recipient });
    expect(parsed.reports).toMatchObject([{ kind: 'soft', statusCode: '4.4.1', delivery: ref }]);
  });

  it('reads non-standard bounces by their codes and wording, ignoring the quoted copy of our message', async () => {
    const exim = delivery();
    expect((await reportsOf('exim-hard.eml', { token: exim.token, recipient })).reports).toMatchObject([
      { kind: 'hard', statusCode: null, delivery: exim.ref, recipient, diagnostic: expect.stringContaining('550 No such user here') },
    ]);
    const qmail = delivery();
    expect((await reportsOf('qmail-soft.eml', { token: qmail.token, recipient })).reports).toMatchObject([
      { kind: 'soft', delivery: qmail.ref },
    ]);
  });

  it('reads an ARF abuse report as a complaint mapped by its Original-Mail-From', async () => {
    const { ref, token } = delivery();
    const parsed = await reportsOf('arf-abuse.eml', { token, recipient });
    expect(parsed).toMatchObject({
      format: 'arf',
      reports: [{ kind: 'complaint', delivery: ref, diagnostic: 'Feedback-Type: abuse (ComcastFBL/1.0)' }],
    });
  });

  it('maps an ARF report by the X-Dispatch-Delivery header of the inline original when nothing else names it', async () => {
    const { ref, token } = delivery();
    const raw = fixture('arf-abuse.eml', { token, recipient }).replace(
      `Original-Mail-From: <bounces+${token}@`,
      'Original-Mail-From: <bounces@',
    );
    const withoutMessageId = raw.replace(`Message-ID: <${token}@dispatch.example.gov>`, 'Message-ID: <other@dispatch.example.gov>');
    expect(withoutMessageId.split(token)).toHaveLength(3); // Return-Path and X-Dispatch-Delivery remain
    const noVerp = withoutMessageId.replace(`Return-Path: <bounces+${token}@`, 'Return-Path: <bounces@');
    expect(await parseBounceMessage(SECRET, noVerp)).toMatchObject({ reports: [{ kind: 'complaint', delivery: ref }] });
  });

  it('ignores feedback that is not a complaint, and out-of-office replies', async () => {
    const { token } = delivery();
    const notSpam = fixture('arf-abuse.eml', { token }).replace('Feedback-Type: abuse', 'Feedback-Type: not-spam');
    expect(await parseBounceMessage(SECRET, notSpam)).toEqual({
      outcome: 'ignored',
      reason: 'feedback report of type "not-spam" is not a complaint',
    });
    expect(await parseBounceMessage(SECRET, fixture('out-of-office.eml', { token, recipient }))).toEqual({
      outcome: 'ignored',
      reason: 'automatic reply',
    });
  });

  it('keeps the failed address when no token names the delivery', async () => {
    const parsed = await reportsOf('forwarded-hard.eml', { recipient });
    expect(parsed.reports).toEqual([
      { kind: 'hard', statusCode: '5.1.1', diagnostic: '550 5.1.1 Mailbox does not exist', delivery: null, recipient },
    ]);
  });

  it("reads the server's words when the MTA could only say 5.0.0", async () => {
    const generic = (diagnostic: string) =>
      fixture('forwarded-hard.eml', { recipient })
        .replace('Status: 5.1.1', 'Status: 5.0.0')
        .replace('Diagnostic-Code: smtp; 550 5.1.1 Mailbox does not exist', `Diagnostic-Code: smtp; ${diagnostic}`);
    expect((await reportsIn(generic('550 Message rejected as spam'))).reports).toMatchObject([{ kind: 'soft', statusCode: '5.0.0' }]);
    expect((await reportsIn(generic('550 No such user here'))).reports).toMatchObject([{ kind: 'hard', statusCode: '5.0.0' }]);
    expect((await reportsIn(generic('550 5.2.2 Mailbox full'))).reports).toMatchObject([{ kind: 'soft', statusCode: '5.2.2' }]);
  });

  it('does not trust a token signed under another secret', async () => {
    const foreign = deliveryToken('some-other-installation-secret-0123456789', { campaignId: 42, subscriberId: randomUUID() });
    const parsed = await reportsOf('postfix-hard.eml', { token: foreign, recipient });
    expect(parsed.reports[0]?.delivery).toBeNull();
  });

  it('refuses files that are not e-mail messages', async () => {
    await expect(parseBounceMessage(SECRET, '')).rejects.toBeInstanceOf(UnreadableMessage);
    await expect(parseBounceMessage(SECRET, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]))).rejects.toThrow(
      /header/,
    );
    await expect(parseBounceMessage(SECRET, 'just some words\nand more words\n')).rejects.toThrow(/no header fields/);
  });

  it('ignores a message that is neither a report nor looks like a bounce', async () => {
    const spam = 'From: deals@shop.example\r\nTo: bounces@dispatch.example.gov\r\nSubject: Big savings\r\n\r\nBuy now.\r\n';
    expect(await parseBounceMessage(SECRET, spam)).toMatchObject({ outcome: 'ignored' });
  });
});

describe('hard or soft', () => {
  it('keeps "hard" for what says the address is bad', () => {
    expect(severityOfStatus('5.1.1')).toBe('hard');
    expect(severityOfStatus('5.1.10')).toBe('hard');
    expect(severityOfStatus('5.2.1')).toBe('hard');
    expect(severityOfStatus('5.4.4')).toBe('hard');
    expect(severityOfStatus('5.2.2')).toBe('soft'); // mailbox full
    expect(severityOfStatus('5.7.1')).toBe('soft'); // policy: a block, not a missing reader
    expect(severityOfStatus('4.2.2')).toBe('soft');
    expect(severityOfStatus('2.0.0')).toBeNull();
  });

  it('reads free text by code, then wording, and calls the unrecognised soft', () => {
    expect(classifyFailureText('550 5.1.1 <a@b.example>: user unknown')).toEqual({ severity: 'hard', statusCode: '5.1.1' });
    expect(classifyFailureText('host 10.4.5.1 said: 552 mailbox full')).toEqual({ severity: 'soft', statusCode: null });
    expect(classifyFailureText('550 No such user here')).toEqual({ severity: 'hard', statusCode: null });
    expect(classifyFailureText('554 refused')).toEqual({ severity: 'hard', statusCode: null });
    expect(classifyFailureText('something odd happened')).toEqual({ severity: 'soft', statusCode: null });
  });

  it('classifies SMTP refusals for the engine', () => {
    expect(classifySmtpReply(550, '550 5.1.1 User unknown')).toEqual({ severity: 'hard', statusCode: '5.1.1' });
    expect(classifySmtpReply(550, '550 5.7.1 Message rejected as spam')).toEqual({ severity: 'soft', statusCode: '5.7.1' });
    expect(classifySmtpReply(552, '552 Mailbox full')).toEqual({ severity: 'soft', statusCode: null });
    expect(classifySmtpReply(554, '554 Message refused: spam')).toEqual({ severity: 'soft', statusCode: null });
    expect(classifySmtpReply(550, '550 Requested action not taken')).toEqual({ severity: 'hard', statusCode: null });
    expect(classifySmtpReply(451, '451 4.3.0 Try again later')).toEqual({ severity: 'soft', statusCode: '4.3.0' });
  });
});
