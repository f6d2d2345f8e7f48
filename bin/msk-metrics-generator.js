#!/usr/bin/env node
// CLI entry: runs the TypeScript sources through tsx's loader, so `npx msk-metrics-generator`
// works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK is pinned to a release that supports Node 20 (Lambda runs Node 22); its notice
// about future releases is known and would only clutter the console.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
