// A config that can change while the process runs, as Tempo's runtime overrides do (Tempo:
// modules/overrides/runtime_config_overrides.go re-reads its file every per_tenant_override_period).
// A fetcher says whether the stored config changed and, if so, parses it with the ordinary loader;
// a config that fails to parse or to fetch is refused and the last good one stays in force.

import { DEFAULT_OVERRIDE_PERIOD_MS } from './overrides-config.ts';
import type { Codec, GeneratorConfig, SelfMonitoringConfig, TenantConfig } from './types.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';

/** Gives the parsed config when the stored one changed since the last successful fetch, else undefined. Throws when it cannot be read or is invalid. */
export type ConfigFetcher = () => Promise<GeneratorConfig | undefined>;

export type RefreshOutcome =
  /** Not due yet, or the stored config did not change. */
  | 'unchanged'
  /** Tenants' settings changed; process-level settings are the same. */
  | 'reloaded'
  /** Process-level settings (codec, tenant header, remote_write endpoints) changed: rebuild what was built from them. */
  | 'restart'
  /** The new config was refused; the last good one stays. */
  | 'failed';

export interface ConfigSourceOptions {
  readonly clock?: () => number;
  /** Called with the reason when a changed config is refused (log it, count ConfigReloadFailures). */
  readonly onRefused?: (error: Error) => void;
}

export class ConfigSource {
  private current: GeneratorConfig;
  private nextCheckMs: number;
  private readonly clock: () => number;
  /** The config the process uses: process-level values from the start, tenants from the latest good config. */
  readonly config: GeneratorConfig;

  private constructor(
    initial: GeneratorConfig,
    private readonly fetcher: ConfigFetcher | undefined,
    private readonly opts: ConfigSourceOptions,
  ) {
    this.current = initial;
    this.clock = opts.clock ?? Date.now;
    this.nextCheckMs = this.clock() + periodOf(initial);
    this.config = new LiveConfig(initial, () => this.current);
  }

  /** A config that never changes (inline CONFIG, defaults). */
  static fixed(config: GeneratorConfig): ConfigSource {
    return new ConfigSource(config, undefined, {});
  }

  /** Fetches the first config; a failure here throws (a bad config fails the start). */
  static async start(fetcher: ConfigFetcher, opts: ConfigSourceOptions = {}): Promise<ConfigSource> {
    const first = await fetcher();
    if (first === undefined) throw new Error('config source: the first fetch returned no config');
    return new ConfigSource(first, fetcher, opts);
  }

  /** The latest good config as loaded (process-level values included). */
  get latest(): GeneratorConfig {
    return this.current;
  }

  /** Re-reads the stored config when the period has passed since the last check. Never throws. */
  async refresh(): Promise<RefreshOutcome> {
    if (this.fetcher === undefined) return 'unchanged';
    const now = this.clock();
    if (now < this.nextCheckMs) return 'unchanged';
    this.nextCheckMs = now + periodOf(this.current);
    let next: GeneratorConfig | undefined;
    try {
      next = await this.fetcher();
    } catch (e) {
      this.opts.onRefused?.(e instanceof Error ? e : new Error(String(e)));
      return 'failed';
    }
    if (next === undefined) return 'unchanged';
    const restart = processKey(next) !== processKey(this.current);
    this.current = next;
    this.nextCheckMs = now + periodOf(next);
    return restart ? 'restart' : 'reloaded';
  }
}

function periodOf(config: GeneratorConfig): number {
  return config.perTenantOverridePeriodMs ?? DEFAULT_OVERRIDE_PERIOD_MS;
}

/** What was built once from the config (record decoding, remote-write clients): a change needs a rebuild. */
function processKey(c: GeneratorConfig): string {
  return JSON.stringify([
    c.codec,
    c.tenantHeader,
    c.defaultTenant,
    c.remoteWriteAddOrgIdHeader,
    c.remoteWrite,
    c.selfMonitoring,
  ]);
}

/**
 * Reads tenants from whatever config is current, so code that keeps a GeneratorConfig (the span
 * batch, the remote-write sender, the flusher) sees reloaded overrides on its next call.
 */
class LiveConfig implements GeneratorConfig {
  readonly codec: Codec;
  readonly tenantHeader: string;
  readonly defaultTenant: string;
  readonly remoteWrite: readonly RemoteWriteEndpoint[];
  readonly remoteWriteAddOrgIdHeader: boolean;
  readonly selfMonitoring: SelfMonitoringConfig | undefined;

  constructor(
    initial: GeneratorConfig,
    private readonly current: () => GeneratorConfig,
  ) {
    this.codec = initial.codec;
    this.tenantHeader = initial.tenantHeader;
    this.defaultTenant = initial.defaultTenant;
    this.remoteWrite = initial.remoteWrite;
    this.remoteWriteAddOrgIdHeader = initial.remoteWriteAddOrgIdHeader;
    this.selfMonitoring = initial.selfMonitoring;
  }

  get perTenantOverridePeriodMs(): number | undefined {
    return this.current().perTenantOverridePeriodMs;
  }

  get perTenantOverrideFile(): string | undefined {
    return this.current().perTenantOverrideFile;
  }

  /** An arrow property, so `const { tenant } = config` keeps working. */
  readonly tenant = (tenantId: string): TenantConfig => this.current().tenant(tenantId);
}

/** The usual ConfigSourceOptions.onRefused: one error line (no config text: it may hold header values) and one count. */
export function reportRefusedConfig(
  log: { error(message: string, fields?: Record<string, unknown>): void },
  count: (metric: 'ConfigReloadFailures') => void,
): (error: Error) => void {
  return (error) => {
    log.error('config change refused; the last good config stays in force', { error: error.message });
    count('ConfigReloadFailures');
  };
}

/**
 * Hands reloaded overrides to registries already built (the flusher's): they keep their series;
 * labels, limits and buckets follow the new settings from the next fold. Service-graph pairings
 * are rebuilt on the new settings around their pending halves.
 */
export function applyTenantConfig(
  holder: { tenants(): ReadonlyMap<string, { setConfig(config: TenantConfig): void }>; reloadServiceGraphs?(): void },
  config: GeneratorConfig,
): void {
  for (const [tenant, registry] of holder.tenants()) registry.setConfig(config.tenant(tenant));
  holder.reloadServiceGraphs?.();
}
