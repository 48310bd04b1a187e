#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx gong-fleet` works from a
// checkout without a build step (and child worker processes start the same way).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
