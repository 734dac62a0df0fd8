import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { countDevMail } from './dev-mailbox.ts';
import { createMailer, type Mailer, type OutgoingMail } from './mailer.ts';

interface Received {
  from: string | false;
  rcpt: string[];
  raw: string;
}

/** A real SMTP server on a free port that keeps every message it is given. */
async function startSmtpServer() {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : false,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const unusedDb = {} as Db; // the SMTP mailer never touches the database

describe('createMailer with SMTP', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });

  it('delivers a multipart message with a custom header over a real SMTP conversation', async () => {
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${server.port}`,
      db: unusedDb,
      clock: new FixedClock(),
    });
    cleanups.push(() => mailer.close());
    expect(mailer.kind).toBe('smtp');

    const result = await mailer.send({
      from: 'Dispatch <dispatch@example.org>',
      to: ['alice@example.com', 'Bob <bob@example.net>'],
      subject: 'Weekly dispatch — issue 7',
      text: 'Plain body\nsecond line',
      html: '<p>HTML <strong>body</strong></p>',
      replyTo: 'desk@example.org',
      headers: { 'X-Dispatch-Issue': 'issue-7' },
    });

    expect(server.received).toHaveLength(1);
    const [message] = server.received;
    expect(message?.from).toBe('dispatch@example.org');
    expect(message?.rcpt).toEqual(['alice@example.com', 'bob@example.net']);
    const parsed = await simpleParser(message?.raw ?? '');
    expect(parsed.subject).toBe('Weekly dispatch — issue 7');
    expect(parsed.text?.trim()).toBe('Plain body\nsecond line');
    expect(parsed.html).toContain('<p>HTML <strong>body</strong></p>');
    expect(parsed.headers.get('x-dispatch-issue')).toBe('issue-7');
    expect(parsed.replyTo?.text).toBe('desk@example.org');
    expect(parsed.date?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(parsed.messageId).toBe(result.messageId);
  });

  it('reuses one pooled connection and lets in-flight mail finish when closed', async () => {
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${server.port}`,
      db: unusedDb,
      clock: new FixedClock(),
    });
    const mail = { from: 'a@example.org', to: 'b@example.org', text: 'x' };
    await mailer.send({ ...mail, subject: 'one' });
    await mailer.send({ ...mail, subject: 'two' });
    const third = mailer.send({ ...mail, subject: 'three' });
    await mailer.close();
    await expect(third).resolves.toEqual({
      messageId: expect.stringMatching(/^<.+@.+>$/),
    });
    await expect(mailer.send({ ...mail, subject: 'four' })).rejects.toThrow(/closed/);
    expect(server.connections()).toBe(1);
    const subjects = await Promise.all(server.received.map(async (m) => (await simpleParser(m.raw)).subject));
    expect(subjects).toEqual(['one', 'two', 'three']);
  });

  it('refuses a CR/LF subject before talking to the server', async () => {
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${server.port}`,
      db: unusedDb,
      clock: new FixedClock(),
    });
    cleanups.push(() => mailer.close());
    await expect(
      mailer.send({
        from: 'a@example.org',
        to: 'b@example.org',
        subject: 'Hi\r\nBcc: victim@example.com',
        text: 'x',
      }),
    ).rejects.toThrow(/subject contains a line break/);
    await mailer.close();
    expect(server.received).toEqual([]);
  });
});

describeEachDatabase('createMailer dev mailbox header injection', ({ handle }) => {
  let mailer: Mailer | undefined;
  afterEach(async () => {
    await mailer?.close();
  });

  const base: OutgoingMail = {
    from: 'a@example.org',
    to: 'b@example.org',
    subject: 'Hello',
    text: 'x',
  };
  const attacks: Array<[string, Partial<OutgoingMail>, RegExp]> = [
    ['subject CRLF', { subject: 'Hello\r\nBcc: victim@example.com' }, /subject contains a line break/],
    ['subject bare LF', { subject: 'Hello\nBcc: victim@example.com' }, /subject contains a line break/],
    ['subject bare CR', { subject: 'Hello\rBcc: victim@example.com' }, /subject contains a line break/],
    ['from', { from: 'a@example.org\r\nBcc: victim@example.com' }, /from contains a line break/],
    ['one of several to', { to: ['ok@example.org', 'b@example.org\nBcc: v@example.com'] }, /to contains a line break/],
    ['custom header value', { headers: { 'X-Tag': 'a\r\nBcc: v@example.com' } }, /header X-Tag contains a line break/],
    ['custom header name', { headers: { 'X-Tag\r\nBcc': 'v@example.com' } }, /invalid header name/],
  ];

  for (const [name, override, message] of attacks) {
    it(`refuses ${name} and stores nothing`, async () => {
      const { db } = handle();
      mailer = createMailer({ db, clock: new FixedClock() });
      await expect(mailer.send({ ...base, ...override })).rejects.toThrow(message);
      expect(await countDevMail(db)).toBe(0);
      // The same mailer still works for a clean message: the refusal is per message, not a broken state.
      await mailer.send(base);
      expect(await countDevMail(db)).toBe(1);
    });
  }

  it('refuses to send after close', async () => {
    const { db } = handle();
    mailer = createMailer({ db, clock: new FixedClock() });
    await mailer.close();
    await expect(mailer.send(base)).rejects.toThrow(/closed/);
    expect(await countDevMail(db)).toBe(0);
  });
});
