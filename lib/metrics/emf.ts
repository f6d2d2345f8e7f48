// CloudWatch Embedded Metric Format: one JSON log line per dimension set, which CloudWatch turns
// into metrics without any API call. The documents are built by Powertools for AWS Lambda's
// metrics utility (its EMF limits checked: names, units, 100 metrics per document, dimension
// count, name collisions); what goes in them (names, units, dimensions, combining) stays ours.

import { Metrics } from '@aws-lambda-powertools/metrics';
import { type Logger, silentLogger } from '../log/logger.ts';
import type { RecordedMetric } from './recorded-metric.ts';

/** EMF allows at most 100 metrics in one document. */
const MAX_METRICS_PER_DOCUMENT = 100;

/**
 * EMF documents, one per dimension set (more when a set has over 100 metrics). Powertools'
 * warnings (a timestamp CloudWatch would drop, ...) go to `log`; none given (tests and the bench
 * stamp documents with made-up times), they are dropped.
 */
export function emfDocuments(
  namespace: string,
  timestampMs: number,
  metrics: readonly RecordedMetric[],
  log: Logger = silentLogger,
): string[] {
  const builder = new Metrics({ namespace, logger: genericLogger(log) });
  // Powertools puts a `service` dimension on every metric by default; ours carry only their own
  builder.clearDefaultDimensions();
  const docs: string[] = [];
  for (const list of groupByDimensions(metrics)) {
    for (let at = 0; at < list.length; at += MAX_METRICS_PER_DOCUMENT) {
      // one dimension set per document, as recorded ([[]] for none)
      builder.addDimensions(list[0].dims);
      for (const e of list.slice(at, at + MAX_METRICS_PER_DOCUMENT)) builder.addMetric(e.name, e.unit, e.value);
      builder.setTimestamp(timestampMs);
      docs.push(JSON.stringify(builder.serializeMetrics()));
      builder.clearMetrics();
      builder.clearDimensions();
    }
  }
  return docs;
}

function groupByDimensions(metrics: readonly RecordedMetric[]): RecordedMetric[][] {
  const byDims = new Map<string, RecordedMetric[]>();
  for (const e of metrics) {
    const k = JSON.stringify(Object.entries(e.dims).sort());
    let list = byDims.get(k);
    if (list === undefined) byDims.set(k, (list = []));
    list.push(e);
  }
  return [...byDims.values()];
}

/** Powertools' own warnings as our log lines. */
function genericLogger(log: Logger): NonNullable<NonNullable<ConstructorParameters<typeof Metrics>[0]>['logger']> {
  const text = (content: unknown[]) => content.map(String).join(' ');
  return {
    debug: () => {},
    info: (...content) => log.info(text(content)),
    warn: (...content) => log.warn(text(content)),
    error: (...content) => log.error(text(content)),
  };
}
