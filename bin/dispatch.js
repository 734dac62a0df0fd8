#!/usr/bin/env node
// The `dispatch` command. Dispatch runs its TypeScript through tsx (see docs/decisions).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
