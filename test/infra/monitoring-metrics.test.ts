// Every metric of the functions' own namespace that an alarm watches or a dashboard widget graphs
// is one the code records and publishes to CloudWatch with those dimensions: an alarm on a name
// nothing publishes (a rename, a typo, a metric the CloudWatch rules leave out) would never fire.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { forCloudWatch } from '../../lib/metrics/cloudwatch-rules.ts';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../lib/metrics/names.ts';
import { onlyResource, skipTemplateValidation, templateOf } from './fixtures.ts';

skipTemplateValidation();

const LIB = resolve(dirname(fileURLToPath(import.meta.url)), '../../lib');

/** A metric of our namespace as an alarm or widget uses it: its name and the dimension names it expects. */
interface Watched {
  readonly name: string;
  readonly dims: readonly string[];
  readonly where: string;
}

/** Metrics of our namespace in alarm properties: a plain metric, or a Metrics Insights query. */
function alarmMetrics(id: string, props: Record<string, any>): Watched[] {
  const out: Watched[] = [];
  if (props.Namespace === METRICS_NAMESPACE)
    out.push({ name: props.MetricName, dims: (props.Dimensions ?? []).map((d: any) => d.Name), where: id });
  for (const m of props.Metrics ?? []) {
    const expression = typeof m.Expression === 'string' ? m.Expression : '';
    const q = /^SELECT \w+\((\w+)\) FROM SCHEMA\("([^"]+)"((?:, *\w+)*)\)/.exec(expression);
    if (q !== null && q[2] === METRICS_NAMESPACE)
      out.push({
        name: q[1],
        dims: q[3]
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
        where: id,
      });
    const stat = m.MetricStat?.Metric;
    if (stat?.Namespace === METRICS_NAMESPACE)
      out.push({ name: stat.MetricName, dims: (stat.Dimensions ?? []).map((d: any) => d.Name), where: id });
  }
  return out;
}

/** Metrics of our namespace in the dashboard body: SEARCH expressions and plain metric rows. */
function dashboardMetrics(body: string): Watched[] {
  const out: Watched[] = [];
  for (const m of body.matchAll(/SEARCH\('\{([^,}]+)((?:,[\w]+)*)\} MetricName=\\*"(\w+)\\*"'/g)) {
    if (m[1] === METRICS_NAMESPACE)
      out.push({ name: m[3], dims: m[2].split(',').filter(Boolean), where: 'dashboard SEARCH' });
  }
  for (const m of body.matchAll(/\[\\*"([\w/]+)\\*",\\*"(\w+)\\*"/g)) {
    if (m[1] === METRICS_NAMESPACE) out.push({ name: m[2], dims: [], where: 'dashboard metric' });
  }
  return out;
}

function libSources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) libSources(path, out);
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The name as a string literal in lib/ code that records metrics (not the list, not the publication rules). */
function recordedInLib(name: string, sources: ReadonlyMap<string, string>): boolean {
  for (const [path, text] of sources) {
    if (path.endsWith(join('metrics', 'names.ts')) || path.endsWith(join('metrics', 'cloudwatch-rules.ts'))) continue;
    if (text.includes(`'${name}'`)) return true;
  }
  return false;
}

/** Whether the CloudWatch rules publish a non-zero value of `name` recorded with exactly these dimensions. */
function published(w: Watched): boolean {
  const dims = Object.fromEntries(w.dims.map((d) => [d, 'x']));
  const out = forCloudWatch([{ name: w.name, unit: 'Count', dims, value: 1 }]);
  return out.some((m) => m.name === w.name && Object.keys(m.dims).sort().join() === [...w.dims].sort().join());
}

describe('alarms and dashboard watch metrics the code publishes', () => {
  const template = templateOf();
  const watched = [
    ...Object.entries(template.findResources('AWS::CloudWatch::Alarm')).flatMap(([id, r]) =>
      alarmMetrics(id, (r as { Properties: Record<string, any> }).Properties),
    ),
    ...dashboardMetrics(JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').DashboardBody)),
  ];
  const sources = new Map(libSources(LIB).map((p) => [p, readFileSync(p, 'utf8')]));

  test('the template watches metrics of our namespace (the reader finds them)', () => {
    const names = new Set(watched.map((w) => w.name));
    for (const n of ['FoldLagSeconds', 'BadRecords', 'RemoteWriteFailures', 'ConfigReloadFailures', 'Records'])
      assert.ok(names.has(n), `${n} not found among ${[...names].join(', ')}`);
  });

  test('every watched metric is in the list the recorder accepts', () => {
    const unknown = watched.filter((w) => !(METRIC_NAMES as readonly string[]).includes(w.name));
    assert.deepEqual(
      unknown.map((w) => `${w.where}: ${w.name}`),
      [],
    );
  });

  test('every watched metric is recorded by lib/ code', () => {
    const missing = watched.filter((w) => !recordedInLib(w.name, sources));
    assert.deepEqual(
      missing.map((w) => `${w.where}: ${w.name}`),
      [],
    );
  });

  test('every watched metric is published to CloudWatch with the dimensions it is watched with', () => {
    const dropped = watched.filter((w) => !published(w));
    assert.deepEqual(
      dropped.map((w) => `${w.where}: ${w.name} {${w.dims.join(',')}}`),
      [],
    );
  });
});
