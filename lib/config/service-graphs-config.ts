// metrics_generator.processor.service_graphs and its per-tenant overrides
// (Tempo: modules/generator/processor/servicegraphs/config.go, modules/overrides/config.go).

import { dimensionList, histogramBuckets } from './common-specs.ts';
import {
  DEFAULT_DATABASE_NAME_ATTRIBUTES,
  DEFAULT_PEER_ATTRIBUTES,
  DEFAULT_SERVICE_GRAPHS_BUCKETS,
} from './defaults.ts';
import { filterPolicies } from './filter-policies.ts';
import { bool, duration, ignoring, integer, listOf, object, section, string, withDefault } from './schema.ts';
import type { ObjectOf } from './schema.ts';
import type { FilterPolicy, ServiceGraphsConfig } from './types.ts';

export const serviceGraphsGlobalSpec = section({
  wait: withDefault(duration(), 10_000),
  max_items: withDefault(integer(0n, 2147483647n, 'a non-negative integer'), 10_000),
  // Go workers sharing one expiry ticker; there is nothing to parallelize here.
  workers: ignoring(integer(0n, 2147483647n, 'a non-negative integer')),
  histogram_buckets: withDefault<readonly number[]>(histogramBuckets('sorted'), DEFAULT_SERVICE_GRAPHS_BUCKETS),
  dimensions: withDefault<readonly string[]>(dimensionList(), []),
  enable_client_server_prefix: withDefault(bool(), false),
  enable_messaging_system_latency_histogram: withDefault(bool(), false),
  enable_virtual_node_label: withDefault(bool(), false),
  peer_attributes: withDefault<readonly string[]>(listOf(string()), DEFAULT_PEER_ATTRIBUTES),
  database_name_attributes: withDefault<readonly string[]>(listOf(string()), DEFAULT_DATABASE_NAME_ATTRIBUTES),
  span_multiplier_key: withDefault(string(), ''),
  enable_tracestate_span_multiplier: withDefault(bool(), false),
  filter_policies: withDefault<readonly FilterPolicy[]>(filterPolicies(), []),
});

export const serviceGraphsOverrideSpec = object({
  histogram_buckets: histogramBuckets(),
  dimensions: dimensionList(),
  peer_attributes: listOf(string()),
  filter_policies: filterPolicies(),
  enable_client_server_prefix: bool(),
  enable_messaging_system_latency_histogram: bool(),
  enable_virtual_node_label: bool(),
  span_multiplier_key: string(),
  enable_tracestate_span_multiplier: bool(),
});

export type ServiceGraphsOverride = ObjectOf<typeof serviceGraphsOverrideSpec.shape>;
export type ServiceGraphsSettings = Omit<ServiceGraphsConfig, 'subprocessors'>;

export function serviceGraphsSettings(g: ObjectOf<typeof serviceGraphsGlobalSpec.shape>): ServiceGraphsSettings {
  return {
    waitMs: g.wait,
    maxItems: g.max_items,
    histogramBuckets: g.histogram_buckets,
    dimensions: g.dimensions,
    enableClientServerPrefix: g.enable_client_server_prefix,
    enableMessagingSystemLatencyHistogram: g.enable_messaging_system_latency_histogram,
    enableVirtualNodeLabel: g.enable_virtual_node_label,
    peerAttributes: g.peer_attributes,
    databaseNameAttributes: g.database_name_attributes,
    spanMultiplierKey: g.span_multiplier_key,
    enableTracestateSpanMultiplier: g.enable_tracestate_span_multiplier,
    filterPolicies: g.filter_policies,
  };
}

/** Tempo's copyWithOverrides for service graphs; the client/server prefix override can only turn it on. */
export function applyServiceGraphsOverride(
  b: ServiceGraphsSettings,
  o: ServiceGraphsOverride | undefined,
): ServiceGraphsSettings {
  if (o === undefined) return b;
  return {
    ...b,
    histogramBuckets: o.histogram_buckets ?? b.histogramBuckets,
    dimensions: o.dimensions ?? b.dimensions,
    peerAttributes: o.peer_attributes ?? b.peerAttributes,
    filterPolicies: o.filter_policies ?? b.filterPolicies,
    enableClientServerPrefix: o.enable_client_server_prefix === true || b.enableClientServerPrefix,
    enableMessagingSystemLatencyHistogram:
      o.enable_messaging_system_latency_histogram ?? b.enableMessagingSystemLatencyHistogram,
    enableVirtualNodeLabel: o.enable_virtual_node_label ?? b.enableVirtualNodeLabel,
    spanMultiplierKey: o.span_multiplier_key || b.spanMultiplierKey,
    enableTracestateSpanMultiplier: o.enable_tracestate_span_multiplier ?? b.enableTracestateSpanMultiplier,
  };
}
