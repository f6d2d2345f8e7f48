// A reloaded tenant config (runtime overrides) must reach the flusher's service-graph pairing,
// not only its registries: edges completed after a reload of `dimensions` carry the new
// dimension labels, and the halves already pending are kept.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTenantConfig, ConfigSource } from '../../lib/config/config-source.ts';
import { parseConfig } from '../../lib/config/index.ts';
import type { EdgeHalf } from '../../lib/servicegraph-model/half.ts';
import { SpanKind } from '../../lib/proto/index.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import { RECORD_TIME_MS, startStore } from '../helpers/ingest-harness.ts';
import { Clock, CheckingSender, commitDelta, flusherOn, freshTables, handMadeDelta } from './flusher-harness.ts';

const configWith = (dimensions: string) => `
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs]
      processor:
        service_graphs:
          dimensions: ${dimensions}
`;

function half(keyByte: number, side: 0 | 1, dimensions: string[]): EdgeHalf {
  return {
    key: new Uint8Array(24).fill(keyByte),
    traceIdLength: 16,
    side,
    arrivalMs: RECORD_TIME_MS,
    connectionType: 0,
    spanKind: side === 0 ? SpanKind.SPAN_KIND_CLIENT : SpanKind.SPAN_KIND_SERVER,
    failed: false,
    clientService: side === 0 ? 'web' : '',
    serverService: side === 1 ? 'api' : '',
    clientLatencySec: side === 0 ? 0.5 : 0,
    serverLatencySec: side === 1 ? 0.25 : 0,
    clientEndHi: 0,
    clientEndLo: 0,
    serverStartHi: 0,
    serverStartLo: 0,
    dimensions,
    peerNode: '',
    multiplier: 1,
  };
}

describe('service-graph settings reloaded at run time', async () => {
  const store = await startStore();
  after(() => store.close());

  test('edges completed after a dimensions reload carry the new labels; halves pending before it are kept', async () => {
    const tables = await freshTables(store.client, 'sgreload');
    let text = configWith('[]');
    const clock = new Clock(RECORD_TIME_MS + 1000);
    const source = await ConfigSource.start(async () => parseConfig(text, { source: 'test' }), { clock: clock.read });
    const flusher = flusherOn(store.ddb, tables, new CheckingSender(), clock, {}, source.config);
    const delta = (offset: number, halves: EdgeHalf[]) =>
      handMadeDelta({
        firstOffset: offset,
        lastOffset: offset,
        spans: halves.length,
        tenants: [{ tenant: 'team-a', increments: [], edgeHalves: halves }],
      });

    await commitDelta(store.ddb, tables.deltas, delta(0, [half(1, 0, [])]), RECORD_TIME_MS);
    await flusher.fold(clock.now);
    assert.equal(flusher.serviceGraphPairings().get('team-a')?.pending, 1);

    text = configWith('[http.method]');
    clock.now += 60_000;
    assert.equal(await source.refresh(), 'reloaded');
    applyTenantConfig(flusher, source.config);
    assert.equal(
      flusher.serviceGraphPairings().get('team-a')?.pending,
      1,
      'the half pending before the reload is kept',
    );

    // written by an ingest that already had the new dimensions
    await commitDelta(store.ddb, tables.deltas, delta(1, [half(2, 0, ['GET']), half(2, 1, ['GET'])]), RECORD_TIME_MS);
    await flusher.fold(clock.now);
    const text2 = [...flusher.tenants()].map(([, r]) => formatExposition(r)).join('');
    assert.match(text2, /traces_service_graph_request_total\{client="web",http_method="GET",server="api"\} 1/);
  });
});
