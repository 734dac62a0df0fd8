import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

// The protocol floor of the delivery benchmark, in a process of its own: a bare loop that hands
// one pre-built message (a real rendered bulletin, taken from the engine's renderer by the parent)
// to a nodemailer SMTP pool with the engine's pool settings, keeping as many messages in flight as
// the engine may, until every recipient was accepted. No database, no rendering, no rate limit:
// what the transport alone can do against this sink on this machine. Started by bench/delivery.ts,
// which sends a FloorJob over IPC; answers with a FloorRun and exits.

export interface FloorJob {
  /** The engine's pool options, exactly (host, port, pool, maxConnections, maxMessages, …). */
  transport: SMTPPool.Options;
  /** The complete message, CRLF line ends, as the engine would hand it to the pool. */
  raw: string;
  envelopeFrom: string;
  messages: number;
  /** Messages handed to the pool at once: the engine's concurrency. */
  inFlight: number;
}

export interface FloorRun {
  sent: number;
  ms: number;
  peakRss: number;
}

async function run(job: FloorJob): Promise<FloorRun> {
  const transport = nodemailer.createTransport(job.transport);
  // One Buffer, sent again and again: nothing is built or copied per message but the envelope.
  const raw = Buffer.from(job.raw);
  let next = 0;
  let sent = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < job.messages) {
      const i = next++;
      await transport.sendMail({ envelope: { from: job.envelopeFrom, to: [`reader${i + 1}@example.gov`] }, raw });
      sent++;
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  const ms = performance.now() - started;
  transport.close();
  // maxRSS is in kilobytes.
  return { sent, ms, peakRss: process.resourceUsage().maxRSS * 1024 };
}

process.once('message', (job) => {
  run(job as FloorJob).then(
    // Exit only once the answer is out: exiting at once can drop it.
    (result) => process.send?.(result, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// The parent going away must not leave this loop sending.
process.on('disconnect', () => process.exit(0));
