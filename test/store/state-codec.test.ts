import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStateStream, encodeStateStream, StateDecoder } from '../../lib/store/state-codec.ts';
import type { SeriesSnapshot } from '../../lib/series/registry-state.ts';
import type { FlusherState } from '../../lib/store/snapshot-store.ts';

const common = {
  labels: [
    { name: 'service', value: 'checkout' },
    { name: 'span_name', value: 'GET /ünï' },
  ],
  lastUpdatedMs: 1_700_000_000_123,
  overflow: false,
};

const roundTrip = (state: FlusherState): FlusherState => decodeStateStream(encodeStateStream(state));

function withSeries(...series: SeriesSnapshot[]): FlusherState {
  return {
    epoch: 3,
    clockMs: 5,
    folded: [],
    tenants: { t: { version: 1, lastSentMs: 9, seriesLimitedTotal: 0, tombstones: [], series } },
    edges: {},
  };
}

test('state header and folded positions round-trip (with and without a data clock)', () => {
  const state: FlusherState = {
    epoch: 12,
    clockMs: 1_700_000_000_000,
    dataClockMs: 1_699_999_999_000,
    folded: [
      { topic: 'traces', partition: 0, cursor: { offset: -1, attempt: '', committedAtMs: 0 } },
      { topic: 'a#b', partition: 11, cursor: { offset: 2 ** 52, attempt: 'ff00', committedAtMs: Number.NaN } },
    ],
    tenants: {},
    edges: {},
  };
  assert.deepEqual(roundTrip(state), state);
  const noClock: FlusherState = { epoch: 1, clockMs: 2, folded: [], tenants: {}, edges: {} };
  assert.deepEqual(roundTrip(noClock), noClock);
  assert.equal('dataClockMs' in roundTrip(noClock), false);
});

test('counter and gauge records round-trip, flags and non-finite values included', () => {
  const series: SeriesSnapshot[] = [
    { ...common, type: 'counter', name: 'traces_spanmetrics_calls_total', value: 12.5, zeroSent: true },
    { ...common, type: 'counter', name: 'c', overflow: true, value: Number.POSITIVE_INFINITY, zeroSent: false },
    { ...common, type: 'gauge', name: 'g', value: -0, sent: true },
    { ...common, type: 'gauge', name: 'g2', labels: [], value: Number.NaN, sent: false },
  ];
  const back = roundTrip(withSeries(...series)).tenants.t.series;
  assert.deepEqual(back, series);
  assert.ok(Object.is((back[2] as { value: number }).value, -0));
});

test('classic histogram records round-trip, with and without exemplars', () => {
  const series: SeriesSnapshot[] = [
    {
      ...common,
      type: 'histogram',
      name: 'h',
      classic: { bounds: [0.002, 0.1, 1], counts: [1, 0, 2, 7], sum: Number.NaN, count: 10, zeroSent: true },
      native: null,
    },
    {
      ...common,
      type: 'histogram',
      name: 'h',
      classic: {
        bounds: [1],
        counts: [0.5, 3],
        sum: -Infinity,
        count: 3.5,
        exemplars: [null, { traceId: 'abc', value: 2 }],
        zeroSent: false,
      },
      native: null,
    },
    // the same bounds as the histogram before it (written once per chunk), and then the first's again
    {
      ...common,
      type: 'histogram',
      name: 'h',
      classic: { bounds: [1], counts: [1, 0], sum: 1, count: 1, zeroSent: false },
      native: null,
    },
    {
      ...common,
      type: 'histogram',
      name: 'h',
      classic: { bounds: [0.002, 0.1, 1], counts: [0, 0, 0, 1], sum: 9, count: 1, zeroSent: true },
      native: null,
    },
  ];
  assert.deepEqual(roundTrip(withSeries(...series)).tenants.t.series, series);
});

test('native histogram records round-trip (negative indexes, exemplar, both kinds in one series)', () => {
  const native = {
    schema: -2,
    zeroThreshold: 1e-128,
    zeroCount: 3,
    positive: [
      [-7, 1],
      [0, 2],
      [300, 1],
    ] as [number, number][],
    negative: [[-1, 4]] as [number, number][],
    count: 11,
    sum: 123.456,
    lastResetMs: 1_700_000_000_000,
    resetScheduled: true,
    zeroSent: false,
    configKey: 'n:8:160',
  };
  const series: SeriesSnapshot[] = [
    { ...common, type: 'histogram', name: 'n', classic: null, native },
    {
      ...common,
      type: 'histogram',
      name: 'n',
      classic: null,
      native: { ...native, exemplar: { traceId: 'def', value: 0.25 }, resetScheduled: false, zeroSent: true },
    },
    {
      ...common,
      type: 'histogram',
      name: 'both',
      classic: { bounds: [1], counts: [1, 1], sum: 3, count: 2, zeroSent: true },
      native,
    },
    { ...common, type: 'histogram', name: 'none', classic: null, native: null },
  ];
  assert.deepEqual(roundTrip(withSeries(...series)).tenants.t.series, series);
});

test('tenant records (tombstones, cardinality estimates) and service-graph records round-trip', () => {
  const state: FlusherState = {
    epoch: 2,
    clockMs: 3,
    folded: [],
    tenants: {
      a: {
        version: 1,
        lastSentMs: 10,
        seriesLimitedTotal: 4,
        tombstones: [
          ['k1', 1],
          ['k{2}', 2],
        ],
        series: [],
        cardinality: {
          drain: { clusters: [1, 'x', null, true] } as never,
          labels: [['span_name', { window: [0, 1.5] } as never]],
        },
      },
      b: {
        version: 1,
        lastSentMs: 0,
        seriesLimitedTotal: 0,
        tombstones: [],
        series: [{ ...common, type: 'counter', name: 'c', value: 1, zeroSent: false }],
      },
    },
    edges: {
      a: {
        halves: [
          {
            key: 'AAEC',
            side: 'client',
            arrivalMs: 1,
            failed: false,
            dimensions: ['', 'x'],
            multiplier: 1.5,
            clientLatencySec: Number.NaN,
          } as never,
        ],
        droppedSides: [{ key: 'k', side: 'server' } as never],
        counters: { expiredEdges: { client: 3 }, droppedSpans: 1, droppedEdges: 0 },
      },
      b: { halves: [], droppedSides: [] },
    },
  };
  assert.deepEqual(roundTrip(state), state);
});

test('series are taken from an iterable one at a time and the output comes in bounded chunks', () => {
  let produced = 0;
  function* series(): Generator<SeriesSnapshot> {
    for (let i = 0; i < 5_000; i++) {
      produced++;
      yield {
        ...common,
        labels: [{ name: 'span_name', value: `op-${i}-${(i * 7919) % 10007}` }],
        type: 'counter',
        name: 'calls_total',
        value: i,
        zeroSent: true,
      };
    }
  }
  const chunkBytes = 4 * 1024;
  const stream = encodeStateStream(
    {
      epoch: 1,
      clockMs: 1,
      folded: [],
      tenants: [['t', { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series: series() }]],
    },
    { chunkBytes },
  );
  const blocks: Buffer[] = [];
  let producedAtFirstBlock = -1;
  for (const b of stream) {
    blocks.push(b);
    if (blocks.length === 2) producedAtFirstBlock = produced;
  }
  assert.ok(blocks.length > 10, `${blocks.length} blocks`);
  assert.ok(
    producedAtFirstBlock > 0 && producedAtFirstBlock < 5_000,
    `the first chunk came out after ${producedAtFirstBlock} series, before the last`,
  );
  // byte by byte at part boundaries of any size
  const all = Buffer.concat(blocks);
  const d = new StateDecoder();
  for (let i = 0; i < all.length; i += 997) d.push(all.subarray(i, i + 997));
  const back = d.finish();
  assert.equal(back.tenants.t.series.length, 5_000);
  assert.equal((back.tenants.t.series[4_999] as { value: number }).value, 4_999);
});

test('a stream cut short or damaged is refused, not half loaded', () => {
  const all = Buffer.concat([
    ...encodeStateStream(withSeries({ ...common, type: 'counter', name: 'c', value: 1, zeroSent: false })),
  ]);
  assert.throws(() => decodeStateStream([all.subarray(0, all.length - 3)]), /ends before its end record/);
  const flipped = Buffer.from(all);
  flipped[flipped.length - 2] ^= 0xff;
  assert.throws(
    () => decodeStateStream([flipped]),
    (e: Error) => e.name === 'StateFormatError',
  );
  assert.throws(() => decodeStateStream([Buffer.from('{"epoch":1}')]), /bad magic/);
});
