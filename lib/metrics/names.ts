// The operational metrics the functions record (and publish to CloudWatch as EMF, namespace
// MskMetricsGenerator, as lib/metrics/cloudwatch-rules.ts decides), in one list: the recorder
// accepts only these names and infra/monitoring.ts alarms and graphs only these, so a renamed or
// mistyped metric fails the typecheck on both sides instead of leaving an alarm that never fires.
// The Prometheus self-metrics (tempo_metrics_generator_*) are another list: lib/self-monitoring/names.ts.

export const METRIC_NAMES = [
  // ingest, per topic (and partition in the recorder)
  'Records',
  'Spans',
  'RecordBytes',
  'RecordsAlreadyCommitted',
  'BadRecords',
  'SpansDiscarded',
  'DeltaBytes',
  'DeltaItems',
  'DeltaSeries',
  'CommitConflicts',
  'ServiceGraphEdges',
  'ServiceGraphDroppedSpans',
  'ServiceGraphDroppedEdges',
  'ServiceGraphExpiredEdges',
  // DynamoDB calls of either function
  'WriteUnits',
  'ReadUnits',
  'DynamoRetries',
  // config source of either function
  'ConfigReloadFailures',
  // flush: folding
  'FoldLagOffsets',
  'FoldLagSeconds',
  'DeltasFolded',
  'PartitionsBehind',
  'CorruptDeltas',
  'DeltasLost',
  'OffsetsLost',
  'CollectionsHeld',
  'ClockAheadSeconds',
  // flush: state
  'StateReloads',
  'StateEpoch',
  'StateBytes',
  'StateParts',
  'StateDeleteFailures',
  'PersistMilliseconds',
  'SeriesRemoved',
  'ActiveSeries',
  // flush: service-graph pairing across batches
  'ServiceGraphHalvesIgnored',
  'ServiceGraphPendingEdges',
  // flush: remote write
  'SamplesSent',
  'ExemplarsSent',
  'SamplesFailed',
  'SeriesDroppedByRelabel',
  'SeriesDroppedInvalid',
  'RemoteWriteRetries',
  'RemoteWriteFailures',
  // flush: Tempo's registry self-metrics for limits and cardinality controls
  'RegistryActiveSeries',
  'RegistryMaxActiveSeries',
  'RegistrySeriesAdded',
  'RegistrySeriesRemoved',
  'RegistrySeriesLimited',
  'RegistryActiveEntities',
  'RegistryMaxActiveEntities',
  'RegistryEntitiesAdded',
  'RegistryEntitiesRemoved',
  'RegistryEntitiesLimited',
  'RegistryActiveSeriesDemandEstimate',
  'RegistryEntityDemandEstimate',
  'RegistryPostSanitizationDemandEstimate',
  'RegistryLabelCardinalityDemandEstimate',
  'RegistryLabelValuesLimited',
  'RegistrySpansSanitized',
  'RegistryDrainLinesSkipped',
  'RegistryDrainPatternsDetected',
  'RegistryDrainPatternsEvicted',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** CloudWatch namespace of every metric in METRIC_NAMES. */
export const METRICS_NAMESPACE = 'MskMetricsGenerator';
