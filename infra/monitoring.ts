// Alarms and a dashboard over the functions' own metrics (EMF, namespace MskMetricsGenerator),
// Lambda's (errors, throttles, the Kafka mapping's OffsetLag) and DynamoDB's (write units).
// Metrics whose dimension values are only known at run time (tenant, endpoint, reason) are
// alarmed on with a Metrics Insights query over their whole dimension set and graphed with SEARCH.
// The functions publish a metric only while it is non-zero (lib/metrics/cloudwatch-rules.ts: every
// custom metric is billed per hour it appears in), so alarms on them treat missing data as healthy;
// whether the flusher runs at all is AWS/Lambda's Invocations, which is free.

import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type MetricName, METRICS_NAMESPACE } from '../lib/metrics/names.ts';

export interface MonitoringThresholds {
  /** OffsetLag (records behind, over the topic) that counts as falling behind. Default 100000. */
  readonly offsetLag?: number;
  /** Fold lag that counts as stale metrics. Default 15 minutes. */
  readonly foldLag?: Duration;
  /** Consumed write units per second, per table, that counts as unexpected cost. Default 100. */
  readonly writeUnitsPerSecond?: number;
}

export interface MonitoringProps extends MonitoringThresholds {
  readonly ingest: IFunction;
  readonly flush: IFunction;
  readonly flushTimeout: Duration;
  readonly deltas: Table;
  readonly series: Table;
  /** Delta items expire after this; the flusher must fold them well before. */
  readonly deltaTtl: Duration;
  /** SNS topic notified when an alarm fires and when it recovers. */
  readonly alarmTopicArn?: string;
}

const FIVE_MINUTES = Duration.minutes(5);
export const MONITORING_DEFAULTS = { offsetLag: 100_000, foldLag: Duration.minutes(15), writeUnitsPerSecond: 100 };

export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { ingest, flush } = props;
    const offsetLagMax = props.offsetLag ?? MONITORING_DEFAULTS.offsetLag;
    const foldLag = props.foldLag ?? MONITORING_DEFAULTS.foldLag;
    const wcuPerSecond = props.writeUnitsPerSecond ?? MONITORING_DEFAULTS.writeUnitsPerSecond;
    const flushNearTimeoutMs = props.flushTimeout.toMilliseconds() - 3000;

    const offsetLag = new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'OffsetLag',
      dimensionsMap: { FunctionName: ingest.functionName },
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });
    const foldLagSeconds = own('FoldLagSeconds', 'Maximum');
    const flushMs = flush.metricDuration({ statistic: 'Maximum', period: FIVE_MINUTES });
    const flushInvocations = flush.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES });
    const badRecords = insights('SUM(BadRecords)', ['reason', 'topic'], 'bad records');
    const remoteWriteFailures = insights(
      'SUM(RemoteWriteFailures)',
      ['class', 'endpoint', 'tenant'],
      'failed remote-write requests',
    );
    const corruptDeltas = insights('SUM(CorruptDeltas)', ['topic'], 'committed deltas skipped as undecodable');
    const deltasLost = insights('SUM(DeltasLost)', ['topic'], 'gaps skipped in a partition delta chain');
    const clockAhead = own('ClockAheadSeconds', 'Maximum');
    const wcu = (t: Table) => t.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum' });
    const rcu = (t: Table) => t.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum' });

    // Ingest errors are retried safely; only a failure that persists for 15 minutes matters.
    this.alarm(
      'IngestErrors',
      ingest.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      3,
      'The ingest function kept failing for 15 minutes: its partitions are not advancing (see its logs).',
    );
    this.alarm(
      'IngestThrottles',
      ingest.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      3,
      'The ingest function was throttled for 15 minutes: account concurrency is exhausted.',
    );
    this.alarm(
      'FlushErrors',
      flush.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      2,
      'The flush function failed in two 5-minute periods in a row (errors include timeouts).',
    );
    this.alarm(
      'FlushThrottles',
      flush.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      3,
      'Flush invocations overlapped for 15 minutes (reserved concurrency 1): a run is taking longer than the schedule period.',
    );
    this.alarm(
      'OffsetLag',
      offsetLag,
      offsetLagMax,
      3,
      `The Kafka consumer group is more than ${offsetLagMax} records behind the topic for 15 minutes.`,
    );
    // FoldLagSeconds is published only while deltas wait to be folded; a flusher that stopped
    // running is FlushNotRunning's (no fold lag is published then either).
    this.alarm(
      'FoldLag',
      foldLagSeconds,
      foldLag.toSeconds(),
      3,
      `Committed deltas waited more than ${foldLag.toHumanString()} to be folded: the remote-written series are stale.`,
    );
    this.alarm(
      'FlushNotRunning',
      flushInvocations,
      1,
      3,
      'The flush function was not invoked for 15 minutes (its EventBridge schedule is disabled or deleted, or invocations are throttled): nothing is folded, sent or saved.',
      TreatMissingData.BREACHING,
      ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    this.alarm(
      'FoldLagNearDeltaTtl',
      foldLagSeconds,
      props.deltaTtl.toSeconds() / 2,
      1,
      `The flusher is more than half the deltas' lifetime (${props.deltaTtl.toHumanString()}) behind: unfolded deltas will expire and their counts be lost.`,
    );
    this.alarm(
      'BadRecords',
      badRecords,
      0,
      3,
      'Kafka records were skipped as bad (BadRecords by reason) in three 5-minute periods in a row: a producer writes records this codec cannot read.',
    );
    this.alarm(
      'ConfigReloadFailures',
      own('ConfigReloadFailures', 'Sum'),
      0,
      1,
      'A changed config or per-tenant overrides object in the config bucket was refused (the functions log why); the last good config stays in force until a valid file is pushed.',
    );
    this.alarm(
      'CorruptDeltas',
      corruptDeltas,
      0,
      1,
      'The flusher skipped a committed delta it could not decode: those counts are lost (its offsets are in the flush log).',
    );
    this.alarm(
      'DeltasLost',
      deltasLost,
      0,
      1,
      'The flusher skipped committed offsets whose delta is gone (expired after a long fold lag, or a part lost): those counts are lost; the flush log names partition and offsets (OffsetsLost counts them).',
    );
    // A container that took over refolds to the previous run's fold reach before it sends; that
    // takes a run or two. Still holding after 15 minutes means it cannot catch up in its deadline.
    this.alarm(
      'CollectionsHeld',
      own('CollectionsHeld', 'Sum'),
      0,
      3,
      'A flusher that took over from another container has held its collections back for 15 minutes while it refolds to what the previous run had sent: the remote-written series are stale (see FoldLagSeconds and the flush log).',
    );
    this.alarm(
      'StateDeleteFailures',
      own('StateDeleteFailures', 'Sum'),
      0,
      3,
      'Superseded saved-state objects could not be deleted from the data bucket for 15 minutes (retried at every save): they stay in state/ and are billed as S3 storage; check the flusher role and the bucket policy.',
    );
    // The default ingestion slack: past it, sample timestamps are held back to the DynamoDB clock.
    this.alarm(
      'FlushClockAhead',
      clockAhead,
      30,
      1,
      "The flush function's host clock is more than 30 s ahead of DynamoDB's: sample timestamps are held back to DynamoDB's clock; if this persists, check the Lambda environment.",
    );
    this.alarm(
      'RemoteWriteFailures',
      remoteWriteFailures,
      0,
      2,
      'Remote-write requests failed after retries in two 5-minute periods in a row (RemoteWriteFailures by tenant, endpoint and class).',
    );
    this.alarm(
      'FlushDurationNearTimeout',
      flushMs,
      flushNearTimeoutMs,
      3,
      `A flush invocation ran longer than ${flushNearTimeoutMs} ms (timeout ${props.flushTimeout.toSeconds()} s) for 15 minutes: the final save is outgrowing its reserve.`,
    );
    this.alarm(
      'DeltasWriteUnits',
      wcu(props.deltas),
      wcuPerSecond * 300,
      3,
      `The deltas table consumed more than ${wcuPerSecond} write units per second for 15 minutes.`,
    );
    this.alarm(
      'SeriesWriteUnits',
      wcu(props.series),
      wcuPerSecond * 300,
      3,
      `The series table consumed more than ${wcuPerSecond} write units per second for 15 minutes.`,
    );

    if (props.alarmTopicArn !== undefined) {
      const action = new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
      for (const a of this.alarms) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-metrics-generator`,
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## msk-metrics-generator\nKafka → ingest → deltas table → flush → remote write. See docs/deploy.md (Monitoring).',
        width: 24,
        height: 2,
      }),
      new AlarmStatusWidget({ alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph(
        'Ingest: records and spans',
        [search('Records', ['topic'], 'Sum'), search('Spans', ['topic'], 'Sum')],
        [search('RecordBytes', ['topic'], 'Sum')],
      ),
      graph('Ingest: Kafka offset lag', [offsetLag]),
      graph('Ingest: bad records and discarded spans', [
        search('BadRecords', ['reason', 'topic'], 'Sum'),
        search('SpansDiscarded', ['processor', 'reason', 'topic'], 'Sum'),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors and throttles',
        [ingest.metricErrors(), flush.metricErrors()],
        [ingest.metricThrottles(), flush.metricThrottles()],
      ),
      graph(
        'Lambda duration (max) and flush invocations',
        [ingest.metricDuration({ statistic: 'Maximum' }), flushMs],
        [flushInvocations],
      ),
      graph(
        'Ingest: deltas written',
        [search('DeltaBytes', ['topic'], 'Sum'), search('DeltaSeries', ['topic'], 'Sum')],
        [search('DeltaItems', ['topic'], 'Sum'), search('CommitConflicts', ['topic'], 'Sum')],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Flush: fold lag (worst partition per topic)',
        [foldLagSeconds],
        [search('FoldLagOffsets', ['topic'], 'Maximum')],
      ),
      graph(
        'Flush: save time and deltas folded',
        [own('PersistMilliseconds', 'Maximum')],
        [own('DeltasFolded', 'Sum'), search('CorruptDeltas', ['topic'], 'Sum'), search('DeltasLost', ['topic'], 'Sum')],
      ),
      graph(
        'Flush: active series (all tenants) and state size',
        [own('ActiveSeries', 'Maximum')],
        [own('StateBytes', 'Maximum')],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Flush: catching up (partitions left behind by the deadline) and state reloads',
        [own('PartitionsBehind', 'Maximum')],
        [own('StateReloads', 'Sum'), clockAhead],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Remote write: samples and exemplars sent (per endpoint), samples failed',
        [search('SamplesSent', ['endpoint'], 'Sum'), search('ExemplarsSent', ['endpoint'], 'Sum')],
        [search('SamplesFailed', ['endpoint', 'tenant'], 'Sum')],
      ),
      graph(
        'Remote write: failures and retries',
        [search('RemoteWriteFailures', ['class', 'endpoint', 'tenant'], 'Sum')],
        [search('RemoteWriteRetries', ['endpoint', 'tenant'], 'Sum')],
      ),
      graph(
        'DynamoDB: write and read units, retries',
        [wcu(props.deltas), wcu(props.series)],
        [rcu(props.deltas), rcu(props.series), search('DynamoRetries', ['operation'], 'Sum')],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Service graphs: new edges (ingest) and halves waiting (flusher)',
        [search('ServiceGraphEdges', ['topic'], 'Sum')],
        [search('ServiceGraphPendingEdges', ['tenant'], 'Maximum')],
      ),
      graph(
        'Service graphs: expired and dropped',
        [
          search('ServiceGraphExpiredEdges', ['tenant', 'unmatched_span_kind'], 'Sum'),
          search('ServiceGraphExpiredEdges', ['topic', 'unmatched_span_kind'], 'Sum'),
        ],
        [
          search('ServiceGraphDroppedSpans', ['tenant'], 'Sum'),
          search('ServiceGraphDroppedSpans', ['topic'], 'Sum'),
          search('ServiceGraphDroppedEdges', ['tenant'], 'Sum'),
        ],
      ),
    );
  }

  private alarm(
    id: string,
    metric: IMetric,
    threshold: number,
    periods: number,
    description: string,
    missing = TreatMissingData.NOT_BREACHING,
    comparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
  ): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: missing,
        alarmDescription: description,
      }),
    );
  }
}

/** A metric the functions emit without dimensions. */
function own(metricName: MetricName, statistic: string): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic, period: FIVE_MINUTES });
}

/** One series summed over every value of a dimension set (alarms cannot use SEARCH). */
function insights(aggregate: string, dimensions: readonly string[], label: string): MathExpression {
  return new MathExpression({
    expression: `SELECT ${aggregate} FROM SCHEMA("${METRICS_NAMESPACE}", ${dimensions.join(', ')})`,
    usingMetrics: {},
    period: FIVE_MINUTES,
    label,
  });
}

/** Every series of a metric with that dimension set, for graphs. */
function search(metricName: MetricName, dimensions: readonly string[], statistic: string): MathExpression {
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions.join(',')}} MetricName="${metricName}"', '${statistic}', 300)`,
    usingMetrics: {},
    label: '',
  });
}
