// Builds a generator config as YAML text from the pieces a test varies, so each test states only
// its own keys: `processor` blocks go under metrics_generator.processor, `overrides` under
// overrides.defaults.metrics_generator, `global` under metrics_generator itself.

export interface ConfigParts {
  /** The value of overrides.defaults.metrics_generator.processors, as YAML. */
  readonly processors: string;
  /** YAML blocks by processor key (span_metrics, service_graphs, host_info), each unindented. */
  readonly processor?: Readonly<Record<string, string>>;
  /** More keys of overrides.defaults.metrics_generator, unindented YAML. */
  readonly overrides?: string;
  /** More keys of metrics_generator, unindented YAML. */
  readonly global?: string;
}

const indent = (yaml: string, by: number) => yaml.replace(/^/gm, ' '.repeat(by));

export function configYaml(parts: ConfigParts): string {
  const blocks = Object.entries(parts.processor ?? {});
  const processor =
    blocks.length === 0
      ? ''
      : `  processor:\n${blocks.map(([name, yaml]) => `    ${name}:\n${indent(yaml, 6)}\n`).join('')}`;
  return `
metrics_generator:
${indent(parts.global ?? '', 2)}
${processor}overrides:
  defaults:
    metrics_generator:
      processors: ${parts.processors}
${indent(parts.overrides ?? '', 6)}
`;
}
