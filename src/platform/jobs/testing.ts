import type { JobLogger } from './runner.ts';

// Test helpers shared by the runner suites (not part of the public API).

/** A JobLogger that keeps every line, so tests can assert on what was logged. */
export function recordingLog() {
  const lines: { level: string; msg: string | undefined; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj });
  const log: JobLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, log };
}

/** A promise and the function that resolves it. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A handler that signals `started` and then holds until `release()`, to freeze a job mid-run. */
export function heldHandler() {
  const started = gate();
  const released = gate();
  const handler = async () => {
    started.open();
    await released.opened;
  };
  return { handler, started: started.opened, release: released.open };
}
