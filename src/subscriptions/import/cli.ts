import type { Command } from 'commander';
import type { Runtime } from '../../server.ts';

/** `dispatch subscribers import FILE` and `dispatch subscribers export`. */
export function registerSubscriberCommands(
  _program: Command,
  _withRuntime: (fn: (runtime: Runtime) => Promise<void>) => Promise<void>,
): void {}
