// Validation of a runtime overrides file with the functions' own loader: parsed as the file a
// main config names in per_tenant_override_config, so every tenant entry is resolved against the
// main config's global settings (or Tempo's defaults without one) exactly as at run time.

import { resolve } from 'node:path';
import { ConfigError, parseConfig, type GeneratorConfig } from '../config/index.ts';
import { perTenantOverrideConfigOf } from '../config/load.ts';

export interface OverridesValidation {
  readonly config: GeneratorConfig;
  readonly warnings: readonly string[];
}

export interface MainConfig {
  /** Where the main config came from (named in errors about its own keys). */
  readonly path: string;
  readonly text: string;
}

/** Throws a ConfigError naming the key path and `source` when the functions would refuse the file. */
export function validateOverrides(text: string, source: string, main?: MainConfig): OverridesValidation {
  const warnings: string[] = [];
  const mainText = main?.text ?? '';
  const named = perTenantOverrideConfigOf(mainText);
  if (named === undefined && /^overrides\s*:/m.test(mainText)) {
    throw new ConfigError(
      'overrides.per_tenant_override_config',
      'not set in the main config, so the functions would not read an overrides file',
      main?.path,
    );
  }
  // Whatever path the loader resolves, it is served this text; messages name `source` instead.
  const placeholder = '/per-tenant-overrides.yaml';
  const withFile =
    named !== undefined
      ? mainText
      : `${mainText}\noverrides:\n  per_tenant_override_config: ${JSON.stringify(placeholder)}\n`;
  const overridesPath = named !== undefined ? resolve('/', named) : placeholder;
  try {
    const config = parseConfig(withFile, {
      baseDir: '/',
      source: main?.path ?? source,
      readFile: () => text,
      warn: (m) => warnings.push(m.replaceAll(overridesPath, source)),
      info: () => {},
    });
    return { config, warnings };
  } catch (e) {
    if (e instanceof ConfigError && e.source === overridesPath) throw new ConfigError(e.path, e.problem, source);
    throw e;
  }
}
