import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `npm run bench -- <name> [args…]` runs bench/<name>.ts, which exports main(args).

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(new URL(`./${name}.ts`, import.meta.url)) || name === 'run') {
  console.error(`Usage: npm run bench -- <name>\nBenchmarks: ${available.join(', ')}`);
  process.exit(2);
}

const bench = (await import(`./${name}.ts`)) as { main?: (args: string[]) => Promise<void> };
if (typeof bench.main !== 'function') {
  console.error(`bench/${name}.ts does not export main(args).`);
  process.exit(2);
}
try {
  await bench.main(args);
  // Open handles (a pool, a timer in a library) must not keep a finished benchmark alive.
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
