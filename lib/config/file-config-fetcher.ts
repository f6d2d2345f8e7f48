// ConfigFetcher over a config file on disk and the per-tenant overrides file it names (local mode,
// CONFIG_FILE). Both are read at every check; parsing happens only when their text changed.

import { dirname, resolve } from 'node:path';
import type { ConfigFetcher } from './config-source.ts';
import { ConfigError } from './errors.ts';
import { parseConfig, perTenantOverrideConfigOf, type ParseOptions } from './load.ts';
import { readConfigText } from './read-file.ts';

export function fileConfigFetcher(path: string, opts: Pick<ParseOptions, 'warn' | 'info'> = {}): ConfigFetcher {
  const baseDir = dirname(resolve(path));
  let lastGood: string | undefined;
  return async () => {
    let main: string;
    try {
      main = readConfigText(path);
    } catch (e) {
      throw new ConfigError('', `cannot read config file: ${(e as Error).message}`, path);
    }
    const named = perTenantOverrideConfigOf(main);
    const overridesPath = named === undefined ? undefined : resolve(baseDir, named);
    let overrides: string | undefined;
    try {
      overrides = overridesPath === undefined ? undefined : readConfigText(overridesPath);
    } catch {
      overrides = undefined; // parseConfig reads it again and reports the problem with its key path
    }
    const version = JSON.stringify([main, overridesPath, overrides]);
    if (version === lastGood) return undefined;
    const config = parseConfig(main, {
      ...opts,
      baseDir,
      source: path,
      readFile: (p) => (p === overridesPath && overrides !== undefined ? overrides : readConfigText(p)),
    });
    lastGood = version;
    return config;
  };
}
