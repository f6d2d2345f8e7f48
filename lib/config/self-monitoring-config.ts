// `metrics_generator.self_monitoring:` (this project's own block): where the generator's own
// metrics (Tempo's tempo_metrics_generator_* names) are remote-written. See docs/configuration.md.

import { tenantIdProblem } from '../tenant/tenant-id.ts';
import { labelNameProblem } from './common-specs.ts';
import { fail } from './errors.ts';
import { bool, mapOf, refine, section, string, withDefault } from './schema.ts';
import type { ObjectOf } from './schema.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import type { SelfMonitoringConfig } from './types.ts';

export const selfMonitoringSpec = section({
  enabled: withDefault(bool(), true),
  remote_write_endpoint: withDefault(string(), ''),
  tenant: withDefault(
    refine(string(), (s) => (s === '' ? undefined : tenantIdProblem(s))),
    '',
  ),
  external_labels: withDefault<Readonly<Record<string, string>>>(mapOf(string(), labelNameProblem), {}),
});

/** Name of the endpoint REMOTE_WRITE_URL adds at run time (lib/flush/remote-sender.ts). */
const ENV_ENDPOINT = 'REMOTE_WRITE_URL';

export function selfMonitoringSettings(
  block: ObjectOf<typeof selfMonitoringSpec.shape>,
  endpoints: readonly RemoteWriteEndpoint[],
): SelfMonitoringConfig {
  const path = 'metrics_generator.self_monitoring';
  const name = block.remote_write_endpoint;
  if (name !== '' && name !== ENV_ENDPOINT && !endpoints.some((e) => e.name === name)) {
    const known = endpoints.flatMap((e) => (e.name === undefined ? [] : [e.name]));
    fail(
      `${path}.remote_write_endpoint`,
      `no metrics_generator.storage.remote_write endpoint is named "${name}" (named: ${known.length === 0 ? 'none' : known.join(', ')}; or ${ENV_ENDPOINT})`,
    );
  }
  return {
    enabled: block.enabled,
    remoteWriteEndpoint: name,
    tenant: block.tenant,
    externalLabels: block.external_labels,
  };
}

/** The endpoint to send to among those in use (config plus REMOTE_WRITE_URL), if any. */
export function selfMonitoringEndpoint(
  cfg: SelfMonitoringConfig,
  endpoints: readonly RemoteWriteEndpoint[],
): RemoteWriteEndpoint | undefined {
  if (!cfg.enabled) return undefined;
  if (cfg.remoteWriteEndpoint === '') return endpoints[0];
  return endpoints.find((e) => e.name === cfg.remoteWriteEndpoint);
}
