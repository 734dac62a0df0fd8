import { SMTPServer } from 'smtp-server';

// The delivery benchmark's sink when Postfix's smtp-sink is not installed: an smtp-server in a
// process of its own that reads each message to its end, throws it away, and prints the running
// count the way `smtp-sink -c` does ("mesg=N" then a carriage return), so smtp-sink-process.ts
// reads both the same way. Usage: node --import tsx counting-smtp-server.ts PORT

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: counting-smtp-server.ts PORT');
  process.exit(2);
}

let messages = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // Postfix's sink accepts up to 256 connections; the benchmark opens at most its concurrency.
  maxClients: 256,
  size: 50 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      messages++;
      process.stdout.write(`mesg=${messages}\r`);
      callback();
    });
  },
});
server.on('error', (error) => console.error('sink:', error.message));
server.listen(port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
