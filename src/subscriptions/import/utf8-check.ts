import { Transform, type TransformCallback } from 'node:stream';

/** A problem with the file as a whole: nothing of it is staged, and the message says why. */
export class ImportFileProblem extends Error {
  constructor(
    message: string,
    readonly kind: 'format' | 'too-large' = 'format',
  ) {
    super(message);
    this.name = 'ImportFileProblem';
  }
}

export const NOT_UTF8_HINT = 'Save it again as "CSV UTF-8" (in Excel: File, Save As, "CSV UTF-8 (Comma delimited)") and check it again.';

const NEWLINE = 0x0a;

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Where the first invalid sequence in `chunk` begins. A fresh decoder in stream mode throws only once
 * a sequence is complete and wrong, so "the prefix of length n throws" is monotonic in n and a binary
 * search finds it. Leading continuation bytes belong to a character begun in the previous chunk and
 * are skipped; if the fault is there, it is at the start of this chunk.
 */
function firstInvalidOffset(chunk: Uint8Array): number {
  let skip = 0;
  while (skip < 3 && skip < chunk.length && (chunk[skip]! & 0xc0) === 0x80) skip++;
  const rest = chunk.subarray(skip);
  const throwsWithin = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(rest.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  if (!throwsWithin(rest.length)) return 0;
  let low = 1;
  let high = rest.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (throwsWithin(middle)) high = middle;
    else low = middle + 1;
  }
  return skip + low - 1;
}

/**
 * Passes the bytes of a file through unchanged while checking that they are UTF-8 (a byte-order mark
 * is allowed; the CSV parser drops it), and counts them for progress reports. The first invalid byte
 * stops the stream with an ImportFileProblem naming its line, so a file in Windows-1252 or Latin-1
 * is refused whole instead of being imported with mangled addresses.
 */
export class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private linesBefore = 0;
  /** Bytes read so far. */
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      const line = this.linesBefore + countNewlines(chunk, firstInvalidOffset(chunk)) + 1;
      callback(new ImportFileProblem(`The file is not valid UTF-8 (line ${line}). ${NOT_UTF8_HINT}`));
      return;
    }
    this.linesBefore += countNewlines(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      // A character cut off by the end of the file.
      this.decoder.decode();
    } catch {
      callback(new ImportFileProblem(`The file is not valid UTF-8 (line ${this.linesBefore + 1}). ${NOT_UTF8_HINT}`));
      return;
    }
    callback();
  }
}
