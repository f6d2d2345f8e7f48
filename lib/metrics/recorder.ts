// Operational metrics: counters and values per metric name and dimension set, readable by tests,
// the bench and local mode, and printed in Lambda as CloudWatch Embedded Metric Format (publish.ts).

import type { MetricName } from './names.ts';
import type { Dimensions, RecordedMetric, Unit } from './recorded-metric.ts';

type Entry = RecordedMetric;

/** Records the operational metrics (METRIC_NAMES); a bench or test may count other names with MetricsRecorder<string>. */
export class MetricsRecorder<Name extends string = MetricName> {
  private entries = new Map<string, Entry>();

  /** Adds to a counter. */
  add(name: Name, value: number, unit: Unit = 'Count', dims: Dimensions = {}): void {
    const e = this.entry(name, unit, dims);
    e.value += value;
  }

  /** Sets a gauge-like value (last write wins). */
  set(name: Name, value: number, unit: Unit = 'None', dims: Dimensions = {}): void {
    this.entry(name, unit, dims).value = value;
  }

  /** Current value (0 when never recorded). */
  get(name: string, dims: Dimensions = {}): number {
    return this.entries.get(keyOf(name, dims))?.value ?? 0;
  }

  /** Sum over every dimension set of a metric. */
  total(name: string): number {
    let sum = 0;
    for (const e of this.entries.values()) if (e.name === name) sum += e.value;
    return sum;
  }

  /** Everything recorded since the last drain; the recorder is emptied. */
  drain(): RecordedMetric[] {
    const out = [...this.entries.values()];
    this.entries = new Map();
    return out;
  }

  private entry(name: string, unit: Unit, dims: Dimensions): Entry {
    const k = keyOf(name, dims);
    let e = this.entries.get(k);
    if (e === undefined) this.entries.set(k, (e = { name, unit, dims: { ...dims }, value: 0 }));
    return e;
  }
}

function keyOf(name: string, dims: Dimensions): string {
  const keys = Object.keys(dims);
  if (keys.length === 0) return name;
  return (
    name +
    '|' +
    keys
      .sort()
      .map((k) => `${k}=${dims[k]}`)
      .join(',')
  );
}
