// Prints recorded metrics as CloudWatch EMF lines (CloudWatch picks them up from the function log),
// only those worth their price (cloudwatch-rules.ts).

import type { Logger } from '../log/logger.ts';
import { forCloudWatch } from './cloudwatch-rules.ts';
import { emfDocuments } from './emf.ts';
import { METRICS_NAMESPACE } from './names.ts';
import type { MetricsRecorder } from './recorder.ts';

/**
 * Straight to stdout, as Powertools prints EMF: Lambda's console.log would wrap the line in its
 * own prefix (or, with the JSON log format, in its own JSON object).
 */
export const stdoutLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function publishMetrics(
  metrics: MetricsRecorder,
  nowMs: number,
  write: (line: string) => void = stdoutLine,
  log?: Logger,
): void {
  for (const line of emfDocuments(METRICS_NAMESPACE, nowMs, forCloudWatch(metrics.drain()), log)) write(line);
}
