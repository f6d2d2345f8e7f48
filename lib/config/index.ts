// Public surface of lib/config: load and validate Tempo-style config, resolve per-tenant settings.

export { parseConfig, loadConfigFile } from './load.ts';
export { configBlocksOnly } from './blocks-only.ts';
export type { ParseOptions } from './load.ts';
export { ConfigError } from './errors.ts';
export { sanitizeLabelName, isValidLabelName } from './label-name.ts';
export {
  DEFAULT_SPAN_METRICS_BUCKETS,
  DEFAULT_SERVICE_GRAPHS_BUCKETS,
  DEFAULT_TRACE_ID_LABEL_NAME,
  DEFAULT_TENANT_HEADER,
  INTRINSIC_DIMENSIONS,
} from './defaults.ts';
export { dimensionLabelName } from './span-metrics-config.ts';
export { SUPPORTED_PROCESSORS } from './processor-names.ts';
export { IGNORED_TEMPO_KEYS, IGNORED_TEMPO_KEYS_DOC } from './ignored-keys.ts';
export type * from './types.ts';
