import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measure.ts';

const docsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/benchmarks.md');

/** A plain-text table of measurements (also valid Markdown). */
export function table(rows: Measurement[]): string {
  const lines = [
    '| Target | Path | req/s | p50 ms | p95 ms | p99 ms | requests | failures |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (m) =>
        `| ${m.label} | \`${m.path}\` | ${Math.round(m.requestsPerSecond)} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.requests} | ${m.failures} |`,
    ),
  ];
  return lines.join('\n');
}

export function machineNote(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `2 cores, shared (${os.cpus().length} × ${cpu}), Node ${process.versions.node}, ${os.platform()} ${os.release()}`;
}

/**
 * Replaces this benchmark's section of docs/benchmarks.md (between its markers), or appends it.
 * The rest of the file (other benchmarks, notes written by hand) is left alone.
 */
export async function writeSection(name: string, markdown: string): Promise<string> {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  let text: string;
  try {
    text = await fs.readFile(docsFile, 'utf8');
  } catch {
    text = '# Benchmarks\n\nRun with `npm run bench -- <name>`. Each run replaces its own section below.\n';
  }
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from !== -1 && to > from ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  await fs.writeFile(docsFile, next);
  return docsFile;
}
