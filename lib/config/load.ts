// Config text or file -> GeneratorConfig. Everything is validated here, including every
// overrides entry, so a bad value stops the start instead of surfacing on some tenant's first span.

import { selfMonitoringSettings } from './self-monitoring-config.ts';
import { dirname, resolve } from 'node:path';
import { ConfigError, fail } from './errors.ts';
import { expandConfigText } from './expand-env.ts';
import { hostInfoSettings } from './host-info-config.ts';
import { metricsGeneratorSpec } from './metrics-generator-config.ts';
import type { MetricsGeneratorBlock } from './metrics-generator-config.ts';
import { DEFAULT_OVERRIDE_PERIOD_MS, overridesBlock, perTenantOverridesFile } from './overrides-config.ts';
import type { OverridesEntry } from './overrides-config.ts';
import { READ_BLOCKS } from './read-blocks.ts';
import { readConfigText } from './read-file.ts';
import { didYouMean, object } from './schema.ts';
import { serviceGraphsSettings } from './service-graphs-config.ts';
import { spanMetricsSettings } from './span-metrics-config.ts';
import { resolveTenantSettings } from './tenant-settings.ts';
import type { GlobalTenantDefaults, TenantSettings } from './tenant-settings.ts';
import type { Codec, GeneratorConfig, SelfMonitoringConfig, TenantConfig } from './types.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import { isNodeMap, parseYaml, Scalar } from './yaml.ts';
import type { NodeMap } from './yaml.ts';
import { warnIgnoredKeys } from './ignored-keys.ts';
import { LEGACY_FORMAT_NOTE } from './legacy-overrides.ts';

export interface ParseOptions {
  /** Directory that a relative `per_tenant_override_config` is resolved against; default: the working directory. */
  readonly baseDir?: string;
  /** Receives warnings (unknown processor names, keys without effect here); default console.warn. */
  readonly warn?: (message: string) => void;
  /** Receives the one line naming the top-level blocks of a whole tempo.yaml that are not read; default stderr. */
  readonly info?: (message: string) => void;
  /** Where the text came from, appended to error messages. */
  readonly source?: string;
  /** Reads the per-tenant overrides file at its resolved path; default: the file system (a config source may serve it from S3). */
  readonly readFile?: (path: string) => string;
}

const documentSpec = object({ metrics_generator: metricsGeneratorSpec, overrides: overridesBlock() });

/** Parses config text (YAML or JSON). Empty text or `{}` gives Tempo's defaults everywhere. */
export function parseConfig(text: string, opts: ParseOptions = {}): GeneratorConfig {
  try {
    return build(
      expandConfigText(text),
      opts,
      opts.warn ?? ((m) => console.warn(m)),
      opts.info ?? ((m) => process.stderr.write(`${m}\n`)),
    );
  } catch (e) {
    throw e instanceof ConfigError ? e.inSource(opts.source) : e;
  }
}

/** Reads and parses a config file; a relative per-tenant overrides path is taken from the file's directory. */
export function loadConfigFile(path: string, opts: Pick<ParseOptions, 'warn' | 'info'> = {}): GeneratorConfig {
  let text: string;
  try {
    text = readConfigText(path);
  } catch (e) {
    throw new ConfigError('', `cannot read config file: ${(e as Error).message}`, path);
  }
  return parseConfig(text, { ...opts, baseDir: dirname(resolve(path)), source: path });
}

function build(
  text: string,
  opts: ParseOptions,
  warn: (message: string) => void,
  info: (message: string) => void,
): GeneratorConfig {
  const root = parseYaml(text);
  if (!isNodeMap(root)) fail('', 'the config must be a mapping with metrics_generator: and overrides:');
  const doc = documentSpec.parse(blocksRead(root, info), '');
  warnIgnoredKeys(root, warn);
  const mg = doc.metrics_generator;
  const overrides = doc.overrides ?? {
    tenants: new Map<string, OverridesEntry>(),
    legacyFormat: false,
    perTenantOverridePeriodMs: DEFAULT_OVERRIDE_PERIOD_MS,
  };
  if (overrides.legacyFormat) warn(`overrides: ${LEGACY_FORMAT_NOTE}`);

  let fileTenants: ReadonlyMap<string, OverridesEntry> = new Map();
  let file: string | undefined;
  if (overrides.perTenantOverrideConfig !== undefined) {
    file = resolve(opts.baseDir ?? process.cwd(), overrides.perTenantOverrideConfig);
    fileTenants = readPerTenantFile(file, warn, opts.readFile ?? readConfigText);
  }

  const g = globalDefaults(mg);
  const resolveEntry = (entry: OverridesEntry | undefined, path: string, from?: string): TenantSettings => {
    try {
      return resolveTenantSettings(
        g,
        entry,
        overrides.defaults,
        path,
        from === undefined ? warn : (m) => warn(`${m} (in ${from})`),
      );
    } catch (e) {
      // Only errors inside the entry belong to the per-tenant file; global keys are in the main one.
      if (e instanceof ConfigError && from !== undefined && e.path.startsWith('overrides.')) throw e.inSource(from);
      throw e;
    }
  };

  // Every entry is resolved now, so errors and warnings appear at start, once per entry.
  const fallback =
    overrides.defaults !== undefined
      ? resolveEntry(overrides.defaults, 'overrides.defaults')
      : resolveEntry(undefined, '');
  const main = new Map([...overrides.tenants].map(([id, e]) => [id, resolveEntry(e, `overrides.${id}`)] as const));
  const fromFile = new Map([...fileTenants].map(([id, e]) => [id, resolveEntry(e, `overrides.${id}`, file)] as const));

  // A tenant's own entry (the per-tenant file first), then `*` (same order), then defaults.
  const settingsFor = (id: string): TenantSettings =>
    fromFile.get(id) ?? main.get(id) ?? fromFile.get('*') ?? main.get('*') ?? fallback;

  return new LoadedConfig(
    mg.codec,
    mg.tenant_header,
    mg.default_tenant,
    mg.storage.remote_write,
    mg.storage.remote_write_add_org_id_header,
    settingsFor,
    selfMonitoringSettings(mg.self_monitoring, mg.storage.remote_write),
    overrides.perTenantOverridePeriodMs,
    file,
  );
}

/**
 * The `overrides.per_tenant_override_config` value as written, without validating anything else:
 * a config source that serves the per-tenant file itself (S3) must know which one to fetch before
 * parseConfig asks for it. Text that does not parse gives undefined (parseConfig then reports it).
 */
export function perTenantOverrideConfigOf(text: string): string | undefined {
  try {
    const root = parseYaml(text);
    const overrides = isNodeMap(root) ? root.get('overrides') : undefined;
    const value =
      overrides !== undefined && isNodeMap(overrides) ? overrides.get('per_tenant_override_config') : undefined;
    return value instanceof Scalar && typeof value.value === 'string' && value.value !== '' ? value.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A whole tempo.yaml is a valid config: only metrics_generator and overrides are read, every other
 * top-level block (server, distributor, storage, ...) is named in one info line. A near miss of
 * the two read blocks is still a typo, not another Tempo block.
 */
function blocksRead(root: NodeMap, info: (message: string) => void): NodeMap {
  const read: NodeMap = new Map();
  const others: string[] = [];
  for (const [key, value] of root) {
    if (READ_BLOCKS.includes(key)) {
      read.set(key, value);
      continue;
    }
    const hint = didYouMean(key, READ_BLOCKS);
    if (hint !== undefined) fail(key, `unknown key (${hint})`);
    others.push(key);
  }
  if (others.length > 0)
    info(`config: reading metrics_generator and overrides; ignoring the other top-level blocks: ${others.join(', ')}`);
  return read;
}

function readPerTenantFile(
  file: string,
  warn: (message: string) => void,
  readFile: (path: string) => string,
): ReadonlyMap<string, OverridesEntry> {
  let text: string;
  try {
    text = readFile(file);
  } catch (e) {
    const message = (e as Error).message;
    return fail(
      'overrides.per_tenant_override_config',
      message.startsWith(file) ? message : `cannot read ${file}: ${message}`,
    );
  }
  try {
    const root = parseYaml(text);
    const { tenants, legacyFormat } = perTenantOverridesFile().parse(root, '');
    if (legacyFormat) warn(`overrides: ${LEGACY_FORMAT_NOTE} (in ${file})`);
    if (isNodeMap(root)) warnIgnoredKeys(root, (m) => warn(`${m} (in ${file})`));
    return tenants;
  } catch (e) {
    throw e instanceof ConfigError ? e.inSource(file) : e;
  }
}

function globalDefaults(mg: MetricsGeneratorBlock): GlobalTenantDefaults {
  const r = mg.registry;
  return {
    spanMetrics: spanMetricsSettings(mg.processor.span_metrics, 'metrics_generator.processor.span_metrics'),
    serviceGraphs: serviceGraphsSettings(mg.processor.service_graphs),
    hostInfo: hostInfoSettings(mg.processor.host_info),
    registry: {
      collectionIntervalMs: r.collection_interval,
      staleDurationMs: r.stale_duration,
      externalLabels: r.external_labels,
      injectTenantIdAs: r.inject_tenant_id_as,
      maxLabelNameLength: r.max_label_name_length,
      maxLabelValueLength: r.max_label_value_length,
      limiterType: mg.limiter_type,
    },
    ingestionSlackMs: mg.metrics_ingestion_time_range_slack,
  };
}

class LoadedConfig implements GeneratorConfig {
  private readonly cache = new Map<string, TenantConfig>();

  constructor(
    readonly codec: Codec,
    readonly tenantHeader: string,
    readonly defaultTenant: string,
    readonly remoteWrite: readonly RemoteWriteEndpoint[],
    readonly remoteWriteAddOrgIdHeader: boolean,
    private readonly settingsFor: (tenantId: string) => TenantSettings,
    readonly selfMonitoring: SelfMonitoringConfig,
    readonly perTenantOverridePeriodMs: number,
    readonly perTenantOverrideFile: string | undefined,
  ) {}

  /** An arrow property, so `const { tenant } = config` keeps working. */
  readonly tenant = (tenantId: string): TenantConfig => {
    let cfg = this.cache.get(tenantId);
    if (cfg === undefined) {
      cfg = Object.freeze({ tenant: tenantId, ...this.settingsFor(tenantId) });
      this.cache.set(tenantId, cfg);
    }
    return cfg;
  };
}
