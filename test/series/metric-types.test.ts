// The contract every metric type module keeps (lib/series/metric-type.ts): a series restored from
// its snapshot is the series it was -- it renders the same time series, owes the same initial
// zero, has the same cost and folds the next increment the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import type { TypeSettings } from '../../lib/series/metric-type.ts';
import { metricType } from '../../lib/series/metric-types.ts';
import { nativeConfigKey } from '../../lib/series/native-series.ts';
import { RestoreSharing } from '../../lib/series/restore-sharing.ts';
import { Entity, type SeriesState } from '../../lib/series/series-state.ts';
import { restoreSeries, snapshotSeries } from '../../lib/series/series-snapshot.ts';
import type { SeriesIncrement } from '../../lib/series/types.ts';
import { config, counter, gauge, histogram } from './registry-fixtures.ts';

const NATIVE = config().nativeHistogram;
const SETTINGS: TypeSettings = { native: NATIVE, nativeKey: nativeConfigKey(NATIVE) };
const CTX = { external: [{ name: 'cluster', value: 'eu' }], traceIdLabelName: 'traceID' };
const T = 1_700_000_000_000;

function rendered(s: SeriesState, atMs: number): CollectedSeries[] {
  const out: CollectedSeries[] = [];
  metricType(s.type).render(s, CTX, { atMs, zeroMs: atMs - 1000, exemplars: true }, (x) => out.push(x));
  return out;
}

function folded(incs: readonly SeriesIncrement[]): SeriesState {
  const entity = new Entity('{svc="a"}', incs[0].labels);
  const type = metricType(incs[0].type);
  const s = type.create(entity, incs[0].name, false);
  incs.forEach((inc, i) => {
    type.fold(s, inc, i === 0, SETTINGS, T + i);
  });
  return s;
}

const observations = [{ value: 0.3 }, { value: 3, traceId: '0af7651916cd43dd8448eb211c80319c' }, { value: 70 }];
const cases: Record<string, () => SeriesIncrement> = {
  counter: () => counter('calls_total', { svc: 'a' }, 3),
  gauge: () => gauge('info', { svc: 'a' }, 1.5),
  'classic histogram': () => histogram('latency', { svc: 'a' }, { bounds: [1, 5, 50] }, observations),
  'native histogram': () => histogram('latency', { svc: 'a' }, { nativeSchema: 3 }, observations),
  'classic and native histogram': () =>
    histogram('latency', { svc: 'a' }, { bounds: [1, 5, 50], nativeSchema: 3 }, observations),
};

for (const [name, make] of Object.entries(cases)) {
  test(`${name}: restored from its snapshot, it renders, costs and folds as the original`, () => {
    const original = folded([make(), make()]);
    const type = metricType(original.type);
    for (const sent of [false, true]) {
      if (sent) type.markSent(original); // sent parts and their cleared exemplars survive too
      const restored = restoreSeries(snapshotSeries(original), original.entity, original.name, new RestoreSharing());
      assert.equal(restored.type, original.type);
      assert.equal(restored.cost, type.cost(original));
      assert.equal(type.needsZero(restored), type.needsZero(original));
      assert.equal(type.wasSent(restored), type.wasSent(original));
      // Exemplars pending before a collection are not saved (they go with the collection).
      const withoutExemplars = (xs: CollectedSeries[]) => xs.map((x) => ({ ...x, exemplars: [] }));
      assert.deepEqual(withoutExemplars(rendered(restored, T + 10)), withoutExemplars(rendered(original, T + 10)));
      type.fold(original, make(), false, SETTINGS, T + 20);
      type.fold(restored, make(), false, SETTINGS, T + 20);
      assert.deepEqual(rendered(restored, T + 30), rendered(original, T + 30));
    }
  });
}
