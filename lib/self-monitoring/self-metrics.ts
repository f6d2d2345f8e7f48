// The generator's own metrics (Tempo's names and labels), held as Prometheus counters and gauges
// and rendered as CollectedSeries for the remote-write sender. Counters only ever grow; each
// render stamps every series with a time later than the previous render's, so a receiver never
// sees an out-of-order sample even when the clock repeats a millisecond.

import type { CollectedSeries } from '../series/collected.ts';
import type { Labels } from '../series/types.ts';

export interface SelfMetricsSnapshot {
  /** [metric name, labels, value] of every counter. */
  readonly counters: readonly (readonly [string, Readonly<Record<string, string>>, number])[];
}

interface Entry {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

export class SelfMetrics {
  private readonly counters = new Map<string, Entry>();
  private gauges = new Map<string, Entry>();
  private lastStampMs = 0;

  /** Adds `n` (ignored unless positive and finite) to a counter. */
  add(name: string, labels: Readonly<Record<string, string>>, n: number): void {
    if (!(n > 0) || !Number.isFinite(n)) return;
    this.entry(this.counters, name, labels).value += n;
  }

  /** Creates a counter at zero if absent, so rate() sees its first increase. */
  touch(name: string, labels: Readonly<Record<string, string>>): void {
    this.entry(this.counters, name, labels);
  }

  /** Sets a gauge for the next render; gauges not set again before a render are dropped after it. */
  set(name: string, labels: Readonly<Record<string, string>>, value: number): void {
    if (!Number.isFinite(value)) return;
    this.entry(this.gauges, name, labels).value = value;
  }

  counter(name: string, labels: Readonly<Record<string, string>>): number {
    return this.counters.get(identity(name, labels))?.value ?? 0;
  }

  gauge(name: string, labels: Readonly<Record<string, string>>): number | undefined {
    return this.gauges.get(identity(name, labels))?.value;
  }

  /** The counters whose name `keep` accepts (all by default). */
  snapshot(keep: (name: string) => boolean = () => true): SelfMetricsSnapshot {
    return {
      counters: [...this.counters.values()]
        .filter((e) => keep(e.name))
        .map((e) => [e.name, e.labels, e.value] as const),
    };
  }

  /** Replaces the counters whose name `keep` accepts with those of `s` that it accepts. */
  restore(s: SelfMetricsSnapshot, keep: (name: string) => boolean = () => true): void {
    for (const [id, e] of this.counters) if (keep(e.name)) this.counters.delete(id);
    for (const [name, labels, value] of s.counters)
      if (keep(name)) this.entry(this.counters, name, labels).value = value;
  }

  /**
   * Every counter and the gauges set since the last render, with `extra` labels added (they do
   * not replace a metric's own label of the same name), stamped at max(now, last stamp + 1).
   */
  render(nowMs: number, extra: Readonly<Record<string, string>>): CollectedSeries[] {
    const ts = Math.max(Math.floor(nowMs), this.lastStampMs + 1);
    this.lastStampMs = ts;
    const out: CollectedSeries[] = [];
    for (const e of [...this.counters.values(), ...this.gauges.values()]) {
      const all: Record<string, string> = { ...extra, ...e.labels, __name__: e.name };
      const labels: Labels = Object.keys(all)
        .sort()
        .filter((k) => all[k] !== '')
        .map((name) => ({ name, value: all[name] }));
      out.push({ labels, samples: [{ value: e.value, timestampMs: ts }], exemplars: [] });
    }
    this.gauges = new Map();
    return out;
  }

  private entry(map: Map<string, Entry>, name: string, labels: Readonly<Record<string, string>>): Entry {
    const id = identity(name, labels);
    let e = map.get(id);
    if (e === undefined) {
      e = { name, labels: { ...labels }, value: 0 };
      map.set(id, e);
    }
    return e;
  }
}

function identity(name: string, labels: Readonly<Record<string, string>>): string {
  return JSON.stringify([
    name,
    ...Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  ]);
}
