// Progress for the CLI's import and export, on stderr so stdout stays clean for the export's CSV.
// A few lines instead of a progress-bar package (docs/decisions/0008): on a terminal one line is
// rewritten in place at most ten times a second; anywhere else (a log, CI) a line is printed every
// tenth of the way, so logs stay short.

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

export interface Progress {
  /** `done` of `total` (bytes read, rows written); `items` is what the rate counts. */
  update(done: number, items: number): void;
  finish(items: number): void;
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressReporter(
  output: ProgressOutput,
  options: { label: string; total: number; unit: string; now?: () => number },
): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let lastTenth = 0;
  let finished = false;

  const line = (done: number, items: number) => {
    const percent = options.total > 0 ? Math.min(100, Math.floor((done / options.total) * 100)) : 100;
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? ` ${number(items / seconds)} ${options.unit}/s` : '';
    return { percent, text: `${options.label}: ${percent}% (${number(items)} ${options.unit}${rate ? `,${rate}` : ''})` };
  };

  return {
    update(done, items) {
      if (finished) return;
      const { percent, text } = line(done, items);
      if (output.isTTY) {
        if (now() - lastDrawn < 100) return;
        lastDrawn = now();
        output.write(`\r${text}\u001b[K`);
        return;
      }
      const tenth = Math.floor(percent / 10);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        output.write(`${text}\n`);
      }
    },
    finish(items) {
      if (finished) return;
      finished = true;
      const { text } = line(options.total, items);
      output.write(output.isTTY ? `\r${text}\u001b[K\n` : `${text}\n`);
    },
  };
}
