import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** The reader's-local-time script, read once when the routes are registered. */
export function readLocalTimeScript(): Promise<string> {
  return fs.readFile(path.join(assetsDir, 'local-time.js'), 'utf8');
}
