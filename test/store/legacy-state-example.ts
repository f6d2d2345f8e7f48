// A flusher state in the shape the JSON state format saved (every record kind, non-finite
// numbers, a snapshot written before exemplars were left out), and the bytes that format's
// encoder made of it (deflated JSON, as saved up to format version 1), so the upgrade path is
// tested against real old bytes rather than against a re-implementation of the old encoder.
import type { FlusherState } from '../../lib/store/snapshot-store.ts';

export function legacyExampleState(): FlusherState {
  return {
    epoch: 7,
    clockMs: 1_700_000_060_000,
    dataClockMs: 1_700_000_055_000,
    folded: [
      { topic: 'traces', partition: 0, cursor: { offset: 41, attempt: 'a1', committedAtMs: 1_700_000_050_000 } },
      { topic: 'traces', partition: 3, cursor: { offset: 9, attempt: 'b2', committedAtMs: 1_700_000_051_000 } },
    ],
    tenants: {
      'tenant-a': {
        version: 1,
        lastSentMs: 1_700_000_045_000,
        seriesLimitedTotal: 2,
        tombstones: [['traces_spanmetrics_calls_total{service="gone"}', 1_700_000_000_000]],
        series: [
          {
            type: 'counter',
            name: 'traces_spanmetrics_calls_total',
            labels: [{ name: 'service', value: 'checkout' }],
            lastUpdatedMs: 1_700_000_040_000,
            overflow: false,
            value: 12,
            zeroSent: true,
          },
          {
            type: 'gauge',
            name: 'traces_target_info',
            labels: [{ name: 'job', value: 'ünïcødé' }],
            lastUpdatedMs: 1_700_000_040_001,
            overflow: false,
            value: 1,
            sent: false,
          },
          {
            type: 'histogram',
            name: 'traces_spanmetrics_latency',
            labels: [
              { name: 'service', value: 'checkout' },
              { name: 'span_name', value: 'GET /' },
            ],
            lastUpdatedMs: 1_700_000_040_002,
            overflow: false,
            classic: {
              bounds: [0.1, 1],
              counts: [1, 0, 2],
              sum: Number.NaN,
              count: 3,
              exemplars: [{ traceId: 'abc', value: 0.05 }, null, null],
              zeroSent: true,
            },
            native: null,
          },
          {
            type: 'histogram',
            name: 'traces_spanmetrics_latency',
            labels: [{ name: 'metric_overflow', value: 'true' }],
            lastUpdatedMs: 1_700_000_040_003,
            overflow: true,
            classic: null,
            native: {
              schema: 3,
              zeroThreshold: 1e-128,
              zeroCount: 1,
              positive: [
                [-4, 2],
                [7, 1],
              ],
              negative: [[0, 1]],
              count: 5,
              sum: Number.POSITIVE_INFINITY,
              exemplar: { traceId: 'def', value: 3.5 },
              lastResetMs: 1_700_000_000_000,
              resetScheduled: false,
              zeroSent: false,
              configKey: 'native:3',
            },
          },
        ],
        cardinality: { labels: [['span_name', { note: 'opaque to the state format' } as never]] },
      },
      empty: { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series: [] },
    },
    edges: {
      'tenant-a': {
        halves: [{ key: 'k1', side: 'client', startMs: 1, value: 0 } as never],
        droppedSides: [],
        counters: { expiredEdges: { client: 3 }, droppedSpans: 1, droppedEdges: 0 },
      },
    },
  };
}

/** encodeState(legacyExampleState()) as lib/store/snapshot-store.ts made it before the binary format (base64). */
export const LEGACY_STATE_BYTES = Buffer.from(
  'rVVNb+M2EP0rxpyZVLLjpiXQQ7FYFIu2e2jSk2MYY3Jks6FIlRy5mxr6QXvqtYfe8scKUrLlfKyDAtWBIPgx782b4dMeqPFqC/JagLJe3f8cQZbXRf6+ToMAjYzvnu/N53mv8laTBrnYA/vGKJDAARVFENBgYMPGO5CFANWG6APIPfiqisQgr0oByEx1wyABSxCgfF0bZtLf8xOwNHSdOA8yew3k21OM9fQMRpkxlgKYHDqOKUo/vcA031GIGacUYDHyDbknAa56RSIFQ/EnUxsmfesZLcipAPb1OrJ3FEEuFgP/VWzQ1cTBqLhSaG1ccbqxjxR2RtF3d7Dxju6gA3GAyd9yeQDqpX9oCCQo3zqmAAIc1nRU6UsokPJYk+1jDFcGZBCwQ9vmqFtS975lSNqkxH9tNDLpJ7n3neJ3FCrr/wBZoY10jFFOBfxJwSfJQHJoKdeyZ73BdkMvODOGDfHKuMq/yvM3vz7h+PiPe/xLPf6tHz+/RbM8QzOJmhjm5ROKWxPZbwLWZ6W1yOTUw3+WVYynGnSrPB/P/fD+dvLVW0lNX0lKWYwxPZY9rH3rdOJTXJaiXIq+U9JCKQoxTc3U1iDhrk0BK/kRP8JwKD8r+kR1YzEM3ZZS/6DTm12rkWlxWcw74Vpr87B8WXJwyGZHINP+/ypvf2Z11GCULyG/pd7sVL104US8nM+R+B6i2lKNWZWU3u02UNx6q0GWdFFOv+mX3/XSlQIaH01/d7G4uEpaL65Fmd6vow0edop+aVB8/rweH1xlnOGU+6EU2Z2OhdBUjTnPLuddn+8vFOmJRxX9Ow1p/UZtSbc2uffQMWO9Di3kXWU2P9IDyEECOYPskQqDNg5tIiX3Y0UWpz28B+c5FcE3+HtLE/YT3tIkMjJNKh9qTKay7DoByaAfzrnsF5y1eOasp77YB9YbemHlW7S7wTrvc3L36ecTjc4P05qkgYDIGHr1xh5Puevgm4b0jdEHyMF4Mw59akwg/f6AO4STs2682aDrww4Lw+Gi67ruXw==',
  'base64',
);
