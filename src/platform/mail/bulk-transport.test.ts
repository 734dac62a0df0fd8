import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { type BulkSendError, type BulkTransport, createBulkTransport, subjectOf } from './bulk-transport.ts';
import { getDevMail, listDevMail, parseDevMail } from './dev-mailbox.ts';

type Refusal = { code: number; message: string } | 'drop' | undefined;

/** A real SMTP server that keeps what it accepts and refuses recipients as told. */
async function startServer(
  refuse: (address: string) => Refusal = () => undefined,
  refuseData: (address: string) => Refusal = () => undefined,
) {
  const received: { from: string; to: string[]; raw: string }[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error) => void) {
      const refusal = refuse(address.address);
      if (refusal === 'drop') {
        dropConnection(server, session);
        return;
      }
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refusal = refuseData(to[0] ?? '');
        if (refusal && refusal !== 'drop') return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    received,
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Cuts a client off mid-conversation, as a relay that crashes or a network that fails would. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections;
  for (const connection of connections) if (connection.id === session.id) connection._socket.destroy();
}

const raw = (to: string, subject = 'Weekly dispatch') =>
  [
    'From: Dispatch <bulletins@example.gov>',
    `To: <${to}>`,
    `Subject: ${subject}`,
    'Message-ID: <1.abc@dispatch.example.gov>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Body line one.',
    '.A line that starts with a dot.',
    '',
  ].join('\r\n');

const unusedDb = {} as Db; // the SMTP transport never touches the database

describe('bulk transport over SMTP', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()?.();
  });
  const open = async (server: Awaited<ReturnType<typeof startServer>>) => {
    cleanups.push(server.close);
    const transport = createBulkTransport({ smtpUrl: server.url, maxConnections: 2, db: unusedDb, clock: new FixedClock() });
    cleanups.push(() => transport.close());
    return transport;
  };
  const refusalOf = async (transport: BulkTransport, to: string) => {
    const error = await transport.send({ envelope: { from: 'bounces+t@example.gov', to }, raw: raw(to) }).then(
      () => null,
      (e: BulkSendError) => e,
    );
    if (!error) throw new Error(`${to} was accepted`);
    return {
      name: error.name,
      transient: error.transient,
      responseCode: error.responseCode,
      enhancedStatus: error.enhancedStatus,
      command: error.command,
      reply: error.reply,
    };
  };

  it('hands the pre-built message over byte for byte, in the envelope given', async () => {
    const server = await startServer();
    const transport = await open(server);
    expect(transport.kind).toBe('smtp');
    await transport.send({ envelope: { from: 'bounces+t1@example.gov', to: 'pat@example.com' }, raw: raw('pat@example.com') });
    expect(server.received).toEqual([{ from: 'bounces+t1@example.gov', to: ['pat@example.com'], raw: raw('pat@example.com') }]);
  });

  it('tells transient refusals from permanent ones, with the reply, its enhanced status and the command', async () => {
    const server = await startServer(
      (address) =>
        ({
          'later@example.com': { code: 451, message: '4.7.1 Try again later' },
          'gone@example.com': { code: 550, message: '5.1.1 No such user' },
          'plain@example.com': { code: 553, message: 'Mailbox name not allowed' },
          'drop@example.com': 'drop' as const,
        })[address],
      (address) => (address === 'spam@example.com' ? { code: 554, message: '5.7.1 Message rejected as spam' } : undefined),
    );
    const transport = await open(server);
    expect(await refusalOf(transport, 'later@example.com')).toEqual({
      name: 'BulkSendError',
      transient: true,
      responseCode: 451,
      enhancedStatus: '4.7.1',
      command: 'RCPT TO',
      reply: '451 4.7.1 Try again later',
    });
    expect(await refusalOf(transport, 'gone@example.com')).toMatchObject({
      transient: false,
      responseCode: 550,
      enhancedStatus: '5.1.1',
      command: 'RCPT TO',
    });
    expect(await refusalOf(transport, 'plain@example.com')).toMatchObject({
      transient: false,
      responseCode: 553,
      enhancedStatus: null,
      command: 'RCPT TO',
    });
    expect(await refusalOf(transport, 'spam@example.com')).toMatchObject({
      transient: false,
      responseCode: 554,
      enhancedStatus: '5.7.1',
      command: 'DATA',
    });
    expect(await refusalOf(transport, 'drop@example.com')).toMatchObject({ transient: true, responseCode: null, command: null });
    // A refusal is per message: the pool goes on sending.
    await transport.send({ envelope: { from: 'bounces+t@example.gov', to: 'fine@example.com' }, raw: raw('fine@example.com') });
    expect(server.received.map((m) => m.to[0])).toEqual(['fine@example.com']);
  });

  it('refuses to send once closed', async () => {
    const server = await startServer();
    const transport = await open(server);
    await transport.close();
    expect(await refusalOf(transport, 'pat@example.com')).toMatchObject({ transient: true, reply: 'The bulk transport is closed' });
    expect(server.received).toEqual([]);
  });
});

describeEachDatabase('bulk transport into the dev mailbox', ({ handle }) => {
  it('stores each message with its envelope and decoded subject, as the dev mailbox shows mail', async () => {
    const { db } = handle();
    const clock = new FixedClock(new Date('2026-05-01T10:00:00.000Z'));
    const transport = createBulkTransport({ smtpUrl: undefined, maxConnections: 5, db, clock });
    expect(transport.kind).toBe('dev-mailbox');
    await transport.send({
      envelope: { from: 'bounces+t1@example.gov', to: 'pat@example.com' },
      raw: raw('pat@example.com', '=?UTF-8?Q?Caf=C3=A9_news?= =?UTF-8?B?4oCUIGlzc3VlIDc=?='),
    });
    const [summary] = await listDevMail(db, { limit: 10, offset: 0 });
    expect(summary).toMatchObject({
      created_at: '2026-05-01T10:00:00.000Z',
      sender: 'bounces+t1@example.gov',
      recipients: 'pat@example.com',
      subject: 'Café news— issue 7',
    });
    const stored = await getDevMail(db, summary?.id ?? 0);
    expect(stored?.raw).not.toContain('\r\n');
    const parsed = await parseDevMail(stored?.raw ?? '');
    expect(parsed.subject).toBe('Café news— issue 7');
    expect(parsed.text?.trim()).toBe('Body line one.\n.A line that starts with a dot.');
    await transport.close();
    await expect(transport.send({ envelope: { from: 'a@example.gov', to: 'b@example.com' }, raw: raw('b@example.com') })).rejects.toThrow(
      /closed/,
    );
  });
});

describe('subjectOf', () => {
  it('reads a folded, encoded or plain Subject and ignores the body', () => {
    expect(subjectOf('To: a@b\r\nSubject: Plain words\r\n\r\nSubject: not this')).toBe('Plain words');
    expect(subjectOf('Subject: =?utf-8?b?w6nDqQ==?=\r\n =?utf-8?q?_and_more?=\r\n\r\n')).toBe('éé and more');
    expect(subjectOf('From: x\r\n\r\nbody')).toBe('');
  });
});
