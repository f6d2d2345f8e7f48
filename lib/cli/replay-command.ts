// `replay`: argument parsing and I/O around lib/replay (which does the work).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, parseConfig } from '../config/index.ts';
import { replay, ReplayInputError } from '../replay/replay.ts';

export async function runReplay(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' }, tenant: { type: 'string', short: 't' } },
      allowPositionals: true,
    });
  } catch (e) {
    process.stderr.write(`replay: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    process.stderr.write('replay: expected exactly one input file (or - for stdin)\n');
    return 2;
  }
  try {
    const config = values.config === undefined ? parseConfig('') : loadConfigFile(values.config);
    const input = positionals[0] === '-' ? await readStdin() : readFileSync(positionals[0], 'utf8');
    process.stdout.write(replay(config, values.tenant ?? 'single-tenant', input));
    return 0;
  } catch (e: unknown) {
    if (e instanceof ConfigError || e instanceof ReplayInputError) {
      process.stderr.write(`replay: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`replay: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
