// The deployed functions' config source against the real S3 protocol (s3rver): the main config
// object and the per-tenant overrides object it names, re-read every per_tenant_override_period
// with conditional GETs; a refused change leaves the last good config in force and is counted.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigSource } from '../../lib/config/config-source.ts';
import { s3ConfigFetcher } from '../../lib/config/s3-config-fetcher.ts';
import { lambdaFlushContainer } from '../../lib/flush/flush-handler.ts';
import { ingestEvent, lambdaIngestContainer } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import { sdkDdb } from '../../lib/store/ddb.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace } from '../../testing/build.ts';
import { startLocalS3, type LocalS3 } from '../helpers/s3rver.ts';
import { Clock } from '../helpers/clock.ts';

const BUCKET = 'mmg-config';
const MAIN = `
metrics_generator:
  processor:
    span_metrics:
      dimensions: []
overrides:
  per_tenant_override_config: tenants/overrides.yaml
  per_tenant_override_period: 100ms
`;

/** A runtime overrides file with `count` filler tenants plus team-a. */
function overridesFile(dimensionsA: string, count = 1000): string {
  const lines = ['overrides:'];
  for (let i = 0; i < count; i++)
    lines.push(
      `  tenant-${i}:`,
      '    metrics_generator:',
      '      processors: [span-metrics]',
      `      max_active_series: ${1000 + i}`,
    );
  lines.push(
    '  team-a:',
    '    metrics_generator:',
    '      processors: [span-metrics]',
    '      processor:',
    '        span_metrics:',
    `          dimensions: ${dimensionsA}`,
  );
  return lines.join('\n') + '\n';
}

function record(
  offset: number,
  tenant: string,
  region: string,
  topic = 'traces',
  durationNs = 1_000_000n,
): KafkaEventRecord {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const rs = buildResourceSpans({
    resource: { 'service.name': 'svc' },
    spans: [{ name: 'op', kind: 3, startNs: endNs - durationNs, endNs, attributes: { region } }],
  });
  return {
    topic,
    partition: 0,
    offset,
    timestamp: Date.now(),
    key: Buffer.from(tenant).toString('base64'),
    value: Buffer.from(encodePushBytesRequest([encodeTempoTrace(rs)])).toString('base64'),
    headers: [],
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('S3 config source', () => {
  let s3: LocalS3;
  let dynamo: LocalDynamo;
  before(async () => {
    s3 = await startLocalS3(BUCKET);
    dynamo = await startLocalDynamo();
    await createTable(dynamo.client, DELTAS_TABLE, 'deltas');
    await createTable(dynamo.client, SERIES_TABLE, 'series');
  });
  after(async () => {
    await s3.close();
    await dynamo.close();
  });

  /** The Lambda ingest and flush containers of a deployment whose config is s3://BUCKET/<key>. */
  function lambdaContainers(key: string) {
    const env = { DELTAS_TABLE: 'deltas', SERIES_TABLE: 'series', CONFIG_BUCKET: BUCKET, CONFIG_KEY: key };
    const clients = { s3: s3.client, ddb: sdkDdb(dynamo.client) };
    const ingest = lambdaIngestContainer(env, clients);
    const flush = lambdaFlushContainer(env, clients);
    /** Folds what is committed; the tenant's series as exposition text, and the flusher's metrics. */
    const folded = async (tenant: string) => {
      const f = await flush();
      await f.flusher.fold(Date.now());
      return { text: formatExposition(f.flusher.tenants().get(tenant)!), metrics: f.metrics };
    };
    return { ingest, flush, folded };
  }

  test('an unchanged config costs one conditional GET per object and no parse; a change is picked up', async () => {
    await s3.put(BUCKET, 'unit/config.yaml', MAIN.replace('tenants/overrides.yaml', 'o.yaml'));
    await s3.put(BUCKET, 'unit/o.yaml', overridesFile('[]', 3));
    const answers: number[] = [];
    const counting: Pick<S3Client, 'send'> = {
      send: (async (cmd: never) => {
        try {
          const out = await s3.client.send(cmd);
          answers.push(200);
          return out;
        } catch (e) {
          answers.push((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0);
          throw e;
        }
      }) as never,
    };
    const clock = new Clock(0);
    const source = await ConfigSource.start(s3ConfigFetcher(counting, { bucket: BUCKET, key: 'unit/config.yaml' }), {
      clock: clock.read,
    });
    assert.deepEqual(answers, [200, 200]);
    assert.equal(source.config.tenant('tenant-2').registry.maxActiveSeries, 1002);
    assert.equal(await source.refresh(), 'unchanged', 'not due before the period');
    assert.deepEqual(answers, [200, 200]);
    clock.now += 100;
    assert.equal(await source.refresh(), 'unchanged');
    assert.deepEqual(answers, [200, 200, 304, 304]);
    await s3.put(BUCKET, 'unit/o.yaml', overridesFile('[region]', 3));
    clock.now += 100;
    assert.equal(await source.refresh(), 'reloaded');
    assert.deepEqual(answers, [200, 200, 304, 304, 304, 200]);
    assert.deepEqual(source.config.tenant('team-a').spanMetrics?.dimensions, ['region']);
  });

  test('a missing overrides object fails the start, naming it', async () => {
    await s3.put(BUCKET, 'missing/config.yaml', MAIN);
    await assert.rejects(
      ConfigSource.start(s3ConfigFetcher(s3.client, { bucket: BUCKET, key: 'missing/config.yaml' })),
      /s3:\/\/mmg-config\/missing\/tenants\/overrides\.yaml does not exist/,
    );
  });

  test('ingest and flush handlers: a changed tenant changes its series within the period, a broken file changes nothing', async () => {
    await s3.put(BUCKET, 'deploy/config.yaml', MAIN);
    await s3.put(BUCKET, 'deploy/tenants/overrides.yaml', overridesFile('[]'));
    const { ingest, folded } = lambdaContainers('deploy/config.yaml');
    const teamA = () => folded('team-a');

    await ingestEvent(await ingest(), { records: { 'traces-0': [record(0, 'team-a', 'eu')] } });
    let { text } = await teamA();
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{service="svc",span_kind="SPAN_KIND_CLIENT",span_name="op",status_code="STATUS_CODE_OK"\} 1/,
    );

    await s3.put(BUCKET, 'deploy/tenants/overrides.yaml', overridesFile('[region]'));
    await pause(150);
    await ingestEvent(await ingest(), { records: { 'traces-0': [record(1, 'team-a', 'eu')] } });
    ({ text } = await teamA());
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{region="eu",service="svc",[^}]*\} 1/,
      'new label set from the next batch',
    );
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{service="svc",[^}]*\} 1/,
      'the series written before keeps its labels',
    );

    await s3.put(BUCKET, 'deploy/tenants/overrides.yaml', overridesFile('[region'));
    await pause(150);
    const ictx = await ingest();
    await ingestEvent(ictx, { records: { 'traces-0': [record(2, 'team-a', 'us')] } });
    const after = await teamA();
    assert.match(
      after.text,
      /traces_spanmetrics_calls_total\{region="us",service="svc",[^}]*\} 1/,
      'the last good overrides stay in force',
    );
    assert.equal(ictx.metrics.total('ConfigReloadFailures'), 1);
    assert.equal(after.metrics.total('ConfigReloadFailures'), 1);
  });

  test('changed histogram buckets: the existing series restarts on the new layout, every histogram stays valid', async () => {
    const main = MAIN.replace('tenants/overrides.yaml', 'o.yaml');
    const withBuckets = (b: string, limit = 0, dimensions = '[]') =>
      `overrides:\n  team-h:\n    metrics_generator:\n      processors: [span-metrics]\n      max_active_series: ${limit}\n      processor:\n        span_metrics:\n          dimensions: ${dimensions}\n          histogram_buckets: ${b}\n`;
    await s3.put(BUCKET, 'buckets/config.yaml', main);
    await s3.put(BUCKET, 'buckets/o.yaml', withBuckets('[0.1, 1, 10]'));
    const { ingest, flush, folded } = lambdaContainers('buckets/config.yaml');
    const exposition = async () => (await folded('team-h')).text;
    const ingestAt = async (offset: number) =>
      ingestEvent(await ingest(), {
        records: { 'traces-h-0': [record(offset, 'team-h', 'eu', 'traces-h', 500_000_000n)] },
      });
    await ingestAt(0);
    await ingestAt(1);
    let text = await exposition();
    assert.deepEqual(bucketBounds(text), ['+Inf', '0.1', '1', '10']);
    assertValidHistograms(text);

    await s3.put(BUCKET, 'buckets/o.yaml', withBuckets('[0.25, 2.5]'));
    await pause(150);
    await ingestAt(2);
    text = await exposition();
    assert.deepEqual(bucketBounds(text), ['+Inf', '0.25', '2.5'], 'the old bounds are gone from the series');
    assertValidHistograms(text);
    assert.match(
      text,
      /traces_spanmetrics_latency_count\{[^}]*\} 1\n/,
      'the classic part restarted (a counter reset to Prometheus)',
    );

    // A setting the flusher's registry applies (not ingest) reaches the registry already built:
    // with max_active_series 1 the new label set (region) is limited.
    await s3.put(BUCKET, 'buckets/o.yaml', withBuckets('[0.25, 2.5]', 1, '[region]'));
    await pause(150);
    await ingestAt(3);
    const g = await flush();
    await g.flusher.fold(Date.now());
    assert.ok(
      g.flusher.tenants().get('team-h')!.seriesLimitedTotal > 0,
      'max_active_series: 1 now limits new series in the running flusher',
    );
  });
});

function bucketBounds(text: string): string[] {
  return [...new Set([...text.matchAll(/_latency_bucket\{le="([^"]+)"/g)].map((m) => m[1]))].sort();
}

/** Cumulative bucket counts never decrease and the +Inf bucket equals _count, per series. */
function assertValidHistograms(text: string): void {
  const buckets = new Map<string, [number, number][]>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    let m = /^(\w+)_bucket\{le="([^"]+)",(.*)\} (\S+)$/.exec(line);
    if (m !== null) {
      const list = buckets.get(`${m[1]}{${m[3]}}`) ?? [];
      list.push([m[2] === '+Inf' ? Infinity : Number(m[2]), Number(m[4])]);
      buckets.set(`${m[1]}{${m[3]}}`, list);
      continue;
    }
    m = /^(\w+)_count\{(.*)\} (\S+)$/.exec(line);
    if (m !== null) counts.set(`${m[1]}{${m[2]}}`, Number(m[3]));
  }
  assert.ok(buckets.size > 0);
  for (const [id, list] of buckets) {
    list.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < list.length; i++) assert.ok(list[i][1] >= list[i - 1][1], `${id}: bucket counts decrease`);
    assert.equal(list[list.length - 1][1], counts.get(id), `${id}: +Inf bucket differs from _count`);
  }
}
