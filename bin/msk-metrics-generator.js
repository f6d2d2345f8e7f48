#!/usr/bin/env node
// CLI entry: runs the TypeScript sources through tsx's loader, so `npx msk-metrics-generator`
// works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
