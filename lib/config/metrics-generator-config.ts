// The global `metrics_generator:` block: Tempo's keys with Tempo's defaults, plus this project's
// `tenant_header` and `default_tenant` for the otlp codec.

import { tenantIdProblem } from '../tenant/tenant-id.ts';
import { labelNameProblem } from './common-specs.ts';
import { DEFAULT_TENANT_HEADER } from './defaults.ts';
import { hostInfoGlobalSpec } from './host-info-config.ts';
import { headerNameProblem, remoteWriteList } from './remote-write.ts';
import {
  anyMapping,
  bool,
  duration,
  ignoring,
  mapOf,
  oneOf,
  positiveInt,
  refine,
  section,
  string,
  withDefault,
} from './schema.ts';
import type { ObjectOf } from './schema.ts';
import { selfMonitoringSpec } from './self-monitoring-config.ts';
import { serviceGraphsGlobalSpec } from './service-graphs-config.ts';
import { spanMetricsGlobalSpec } from './span-metrics-config.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';

export const MAX_INGESTION_SLACK_MS = 12 * 3600_000;

export const metricsGeneratorSpec = section({
  codec: withDefault(oneOf(['push-bytes', 'otlp']), 'push-bytes'),
  tenant_header: withDefault(
    refine(string(), (s) => (s === '' ? 'must not be empty' : headerNameProblem(s))),
    DEFAULT_TENANT_HEADER,
  ),
  default_tenant: withDefault(
    refine(string(), (s) => (s === '' ? undefined : tenantIdProblem(s))),
    '',
  ),
  limiter_type: withDefault(oneOf(['series', 'entity']), 'series'),
  metrics_ingestion_time_range_slack: withDefault(duration({ maxMs: MAX_INGESTION_SLACK_MS }), 30_000),
  registry: section({
    collection_interval: withDefault(duration({ minMs: 1 }), 15_000),
    stale_duration: withDefault(duration({ minMs: 1 }), 15 * 60_000),
    external_labels: withDefault<Readonly<Record<string, string>>>(mapOf(string(), labelNameProblem), {}),
    inject_tenant_id_as: withDefault(
      refine(string(), (s) => (s === '' ? undefined : labelNameProblem(s))),
      '',
    ),
    max_label_name_length: withDefault(positiveInt(), 1024),
    max_label_value_length: withDefault(positiveInt(), 2048),
  }),
  processor: section({
    span_metrics: spanMetricsGlobalSpec,
    service_graphs: serviceGraphsGlobalSpec,
    host_info: hostInfoGlobalSpec,
    // TraceQL metrics' local blocks (Tempo 2.x); see IGNORED_TEMPO_KEYS for why.
    local_blocks: ignoring(anyMapping()),
  }),
  storage: section({
    // There is no WAL: deltas and series live in DynamoDB.
    path: ignoring(string()),
    wal: ignoring(anyMapping()),
    remote_write_flush_deadline: ignoring(duration()),
    remote_write_add_org_id_header: withDefault(bool(), true),
    remote_write: withDefault<readonly RemoteWriteEndpoint[]>(remoteWriteList(), []),
  }),
  self_monitoring: selfMonitoringSpec,
  // Ring, Kafka-consumer and process settings of Tempo's long-running generator; Lambda and the
  // event source mapping take their place.
  ring: ignoring(anyMapping()),
  ring_mode: ignoring(oneOf(['partition', 'generator'])),
  override_ring_key: ignoring(string()),
  ingest_concurrency: ignoring(positiveInt()),
  instance_id: ignoring(string()),
  leave_consumer_group_on_shutdown: ignoring(bool()),
  skip_stale_backlog_on_startup: ignoring(bool()),
  // Keys of Tempo 2.6-3.0 that serve queries or servers, not metrics (warned about at start).
  traces_storage: ignoring(anyMapping()),
  traces_query_storage: ignoring(anyMapping()),
  query_timeout: ignoring(duration()),
  disable_local_blocks: ignoring(bool()),
  disable_grpc: ignoring(bool()),
});

export type MetricsGeneratorBlock = ObjectOf<typeof metricsGeneratorSpec.shape>;
