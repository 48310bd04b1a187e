#!/usr/bin/env node
// Runs any TypeScript entry file (benchmarks, helper processes in tests) with tsx's loader.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
register();
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
process.argv.splice(1, 1); // the entry sees itself as argv[1]
await import(pathToFileURL(resolve(entry)).href);
