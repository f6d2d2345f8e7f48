// Operational metrics: counters and values per metric name and dimension set, readable by tests
// and printed in Lambda as CloudWatch Embedded Metric Format (one JSON log line per dimension set,
// which CloudWatch turns into metrics without any API call).

export type Unit = 'Count' | 'Bytes' | 'Milliseconds' | 'Seconds' | 'None';
export type Dimensions = Readonly<Record<string, string>>;

interface Entry {
  readonly name: string;
  readonly unit: Unit;
  readonly dims: Dimensions;
  value: number;
}

export class MetricsRecorder {
  private entries = new Map<string, Entry>();

  /** Adds to a counter. */
  add(name: string, value: number, unit: Unit = 'Count', dims: Dimensions = {}): void {
    const e = this.entry(name, unit, dims);
    e.value += value;
  }

  /** Sets a gauge-like value (last write wins). */
  set(name: string, value: number, unit: Unit = 'None', dims: Dimensions = {}): void {
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

  /** EMF documents, one per dimension set; the recorder is emptied. */
  drainEmf(namespace: string, timestampMs: number): string[] {
    const byDims = new Map<string, Entry[]>();
    for (const e of this.entries.values()) {
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
    this.entries = new Map();
    return docs;
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
  return name + '|' + keys.sort().map((k) => `${k}=${dims[k]}`).join(',');
}
