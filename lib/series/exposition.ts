// Prometheus text exposition of the registry's current values, for the `replay` CLI (the
// conformance interface) and the local /metrics page: one `name{labels} value` line per time
// series, labels sorted by name (le among them), values spelled as client_golang writes them,
// lines sorted, no timestamps, no HELP/TYPE lines, no initial zeros.
//
// Native histograms: the text format has no way to carry exponential buckets, so a native-only
// histogram is printed as `<name>_count` and `<name>_sum`. With classic buckets too (mode both)
// the classic `_count`/`_sum` lines already exist and are kept.

import type { CollectedSeries } from './collected.ts';
import type { Labels } from './types.ts';
import { formatFloatG } from './format-float.ts';
import { escapeLabelValue } from './labels.ts';
import { Registry } from './registry.ts';
import { compareUtf8 } from './utf8.ts';

/**
 * Formats a registry's current values (Registry.peek), or already collected series; from
 * collected series the last sample / histogram of each is printed (the value after any initial
 * zero). External labels and inject_tenant_id_as appear as collect adds them.
 */
export function formatExposition(source: Registry | readonly CollectedSeries[]): string {
  const series = source instanceof Registry ? source.peek() : source;
  const lines = new Map<string, string>(); // identity -> value
  const nativeLines: [string, string][] = [];
  for (const s of series) {
    const name = metricName(s.labels);
    if (s.histograms !== undefined && s.histograms.length > 0) {
      const h = s.histograms[s.histograms.length - 1];
      nativeLines.push([identity(name + '_count', s.labels), formatValue(h.count)]);
      nativeLines.push([identity(name + '_sum', s.labels), formatValue(h.sum)]);
    } else if (s.samples.length > 0) {
      lines.set(identity(name, s.labels), formatValue(s.samples[s.samples.length - 1].value));
    }
  }
  for (const [id, value] of nativeLines) if (!lines.has(id)) lines.set(id, value);
  const out = [...lines].map(([id, value]) => id + ' ' + value).sort(compareUtf8);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/** client_golang's text float: 'g' shortest, with 0, 1, -1 and the infinities spelled out. */
export function formatValue(v: number): string {
  if (v === 0) return '0'; // also -0, as client_golang writes it
  return formatFloatG(v);
}

function metricName(labels: Labels): string {
  for (const l of labels) if (l.name === '__name__') return l.value;
  return '';
}

function identity(name: string, labels: Labels): string {
  let body = '';
  for (const l of labels) {
    if (l.name === '__name__') continue;
    body += (body === '' ? '' : ',') + l.name + '="' + escapeLabelValue(l.value) + '"';
  }
  return body === '' ? name : name + '{' + body + '}';
}
