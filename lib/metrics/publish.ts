// Prints recorded metrics as CloudWatch EMF lines (CloudWatch picks them up from the function log),
// only those worth their price (cloudwatch-rules.ts).

import { forCloudWatch } from './cloudwatch-rules.ts';
import { emfDocuments } from './emf.ts';
import { METRICS_NAMESPACE } from './names.ts';
import type { MetricsRecorder } from './recorder.ts';

export function publishMetrics(
  metrics: MetricsRecorder,
  nowMs: number,
  write: (line: string) => void = (l) => console.log(l),
): void {
  for (const line of emfDocuments(METRICS_NAMESPACE, nowMs, forCloudWatch(metrics.drain()))) write(line);
}
