import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

// The mail server of the delivery benchmark: an SMTP sink in a process of its own, so accepting
// and throwing away messages does not share the sender's event loop. Postfix's smtp-sink (C, one
// process, made to measure SMTP clients) when Debian's postfix package is installed; otherwise
// counting-smtp-server.ts, an smtp-server in a Node child process. Both print a running counter,
// "mesg=N", after each message they accept, which is read here: the benchmark compares it with
// the number of recipients.

const POSTFIX_SMTP_SINK = ['/usr/sbin/smtp-sink', '/usr/lib/postfix/sbin/smtp-sink', '/usr/bin/smtp-sink'];

export interface SmtpSink {
  /** What accepts the mail: "Postfix smtp-sink" or "smtp-server (Node)". */
  readonly program: string;
  readonly port: number;
  /** Messages accepted since the sink started. */
  accepted(): number;
  /** Waits until `expected` messages were accepted, or until none arrived for `quietMs`; returns the count. */
  settle(expected: number, quietMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the sink binds it a moment later). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the sink greets a client; a connection is one session, never a message. */
async function waitForGreeting(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`The SMTP sink exited at start (code ${child.exitCode}).`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setEncoding('latin1');
      socket.once('data', (line: string) => {
        socket.end('QUIT\r\n');
        resolve(line.startsWith('220'));
      });
      socket.once('error', () => resolve(false));
    });
    if (greeted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The SMTP sink did not answer on port ${port} within ${timeoutMs} ms.`);
}

export function postfixSmtpSink(): string | undefined {
  return POSTFIX_SMTP_SINK.find((file) => fs.existsSync(file));
}

/** Starts the sink on 127.0.0.1; `prefer: 'smtp-server'` skips Postfix's even when installed. */
export async function startSmtpSink(options: { prefer?: 'postfix' | 'smtp-server' } = {}): Promise<SmtpSink> {
  const port = await freePort();
  const postfix = options.prefer === 'smtp-server' ? undefined : postfixSmtpSink();
  let child: ChildProcess;
  let program: string;
  if (postfix) {
    program = 'Postfix smtp-sink';
    // -c: the running counters on stdout; 1000: the listen backlog. Run as root it must drop to an
    // unprivileged user once the socket is open.
    const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    child = spawn(postfix, ['-c', ...user, `127.0.0.1:${port}`, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  } else {
    program = 'smtp-server (Node)';
    child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./counting-smtp-server.ts', import.meta.url)), String(port)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let count = 0;
  let lastChange = Date.now();
  let tail = '';
  child.stdout?.setEncoding('latin1');
  child.stdout?.on('data', (chunk: string) => {
    // Counter lines end in "\r"; keep the unfinished end of a chunk for the next one.
    const text = tail + chunk;
    const cut = text.lastIndexOf('\r');
    tail = text.slice(cut + 1);
    const finished = text.slice(0, cut + 1);
    const at = finished.lastIndexOf('mesg=');
    if (at === -1) return;
    const value = Number.parseInt(finished.slice(at + 5), 10);
    if (Number.isFinite(value) && value !== count) {
      count = value;
      lastChange = Date.now();
    }
  });
  await waitForGreeting(port, child);

  return {
    program,
    port,
    accepted: () => count,
    async settle(expected, quietMs = 2000) {
      lastChange = Math.max(lastChange, Date.now());
      while (count < expected && Date.now() - lastChange < quietMs) await new Promise((resolve) => setTimeout(resolve, 20));
      return count;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
