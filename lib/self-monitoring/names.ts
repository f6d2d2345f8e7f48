// Tempo's names for the generator's own metrics (Tempo: modules/generator/instance.go,
// modules/generator/registry/registry.go, modules/generator/localserieslimiter/,
// modules/generator/processor/servicegraphs/servicegraphs.go, pkg/ingest/metrics.go), and the
// Prometheus remote-write client's (Prometheus: storage/remote/queue_manager.go), which Tempo's
// generator exposes per tenant because it embeds that client.

export const SPANS_RECEIVED = 'tempo_metrics_generator_spans_received_total';
export const SPANS_DISCARDED = 'tempo_metrics_generator_spans_discarded_total';
export const BYTES_RECEIVED = 'tempo_metrics_generator_bytes_received_total';
export const ACTIVE_SERIES = 'tempo_metrics_generator_registry_active_series';
export const MAX_ACTIVE_SERIES = 'tempo_metrics_generator_registry_max_active_series';
export const SERIES_LIMITED = 'tempo_metrics_generator_registry_series_limited_total';
export const COLLECTIONS = 'tempo_metrics_generator_registry_collections_total';
export const COLLECTIONS_FAILED = 'tempo_metrics_generator_registry_collections_failed_total';
export const SG_EDGES = 'tempo_metrics_generator_processor_service_graphs_edges';
export const SG_EXPIRED_EDGES = 'tempo_metrics_generator_processor_service_graphs_expired_edges';
export const SG_DROPPED_SPANS = 'tempo_metrics_generator_processor_service_graphs_dropped_spans';
export const SG_DROPPED_EDGES = 'tempo_metrics_generator_processor_service_graphs_dropped_edges_total';
export const PARTITION_LAG = 'tempo_ingest_group_partition_lag';
export const PARTITION_LAG_SECONDS = 'tempo_ingest_group_partition_lag_seconds';
export const ASSIGNED_PARTITIONS = 'tempo_metrics_generator_assigned_partitions';

export const RW_SAMPLES = 'prometheus_remote_storage_samples_total';
export const RW_SAMPLES_FAILED = 'prometheus_remote_storage_samples_failed_total';
export const RW_SAMPLES_RETRIED = 'prometheus_remote_storage_samples_retried_total';
export const RW_HISTOGRAMS = 'prometheus_remote_storage_histograms_total';
export const RW_HISTOGRAMS_FAILED = 'prometheus_remote_storage_histograms_failed_total';
export const RW_EXEMPLARS = 'prometheus_remote_storage_exemplars_total';
export const RW_BYTES = 'prometheus_remote_storage_bytes_total';

/** The consumer group label of the lag gauges: the flusher plays Tempo's generator group. */
export const LAG_GROUP = 'metrics-generator';
