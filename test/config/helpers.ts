// Shared helpers for the config tests.
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../lib/config/index.ts';
import type { GeneratorConfig } from '../../lib/config/index.ts';

export const ALL_PROCESSORS = ['span-metrics', 'service-graphs', 'host-info'];

/** Parses YAML/JSON text, collecting warnings instead of printing them. */
export function load(text: string, warnings: string[] = []): GeneratorConfig {
  return parseConfig(text, { warn: (m) => warnings.push(m) });
}

/** A config whose global `metrics_generator:` block is `mg`, with every processor on for all tenants. */
export function withGlobal(mg: object): GeneratorConfig {
  return load(
    JSON.stringify({
      metrics_generator: mg,
      overrides: { defaults: { metrics_generator: { processors: ALL_PROCESSORS } } },
    }),
  );
}

/** A config whose `overrides.defaults.metrics_generator` holds `o` (plus every processor). */
export function withOverride(o: object): GeneratorConfig {
  return load(JSON.stringify({ overrides: { defaults: { metrics_generator: { processors: ALL_PROCESSORS, ...o } } } }));
}

/** Asserts parsing fails with a ConfigError whose message starts with `prefix`. */
export function assertConfigError(text: string, prefix: string, alsoContains?: string): void {
  let caught: unknown;
  try {
    load(text);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError for:\n${text}\ngot ${String(caught)}`);
  assert.ok(
    caught.message.startsWith(prefix),
    `message ${JSON.stringify(caught.message)} should start with ${JSON.stringify(prefix)}`,
  );
  if (alsoContains !== undefined)
    assert.ok(
      caught.message.includes(alsoContains),
      `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(alsoContains)}`,
    );
}
