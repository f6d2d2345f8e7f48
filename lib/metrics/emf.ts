// CloudWatch Embedded Metric Format: one JSON log line per dimension set, which CloudWatch turns
// into metrics without any API call.

import type { RecordedMetric } from './recorded-metric.ts';

export function emfDocuments(namespace: string, timestampMs: number, metrics: readonly RecordedMetric[]): string[] {
  const byDims = new Map<string, RecordedMetric[]>();
  for (const e of metrics) {
    const k = JSON.stringify(Object.entries(e.dims).sort());
    let list = byDims.get(k);
    if (list === undefined) byDims.set(k, (list = []));
    list.push(e);
  }
  const docs: string[] = [];
  for (const list of byDims.values()) {
    const dims = list[0].dims;
    const doc: Record<string, unknown> = {
      _aws: {
        Timestamp: timestampMs,
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [Object.keys(dims)],
            Metrics: list.map((e) => ({ Name: e.name, Unit: e.unit })),
          },
        ],
      },
      ...dims,
    };
    for (const e of list) doc[e.name] = e.value;
    docs.push(JSON.stringify(doc));
  }
  return docs;
}
