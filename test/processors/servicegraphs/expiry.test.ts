// Pending edges under a fake clock (Tempo: modules/generator/processor/servicegraphs/store/store.go):
// wait, whole-second expiration, FIFO
// expiry, virtual nodes, expired edges by unmatched span kind, max_items.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, REQUEST, SpanKind, T0_MS, key, pair, spanId, summary, svc } from './harness.ts';

const requests = (h: Harness, afterMs: number, all = false) =>
  [...summary(h.expire(afterMs, all))].filter(([k]) => k.startsWith(REQUEST));

describe('wait', () => {
  test('halves arriving within wait pair', () => {
    const h = new Harness('wait: 10s');
    const [client, server] = pair('a', 'b');
    h.push(client);
    assert.equal(requests(h, 9_000).length, 0);
    h.push(server);
    assert.deepEqual(requests(h, 0), [[key(REQUEST, { client: 'a', server: 'b' }), 1]]);
  });

  test('expiration is (processing time + wait) truncated to whole seconds', () => {
    const h = new Harness('wait: 10s');
    assert.equal(T0_MS % 1000, 500);
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER }]));
    // due at second floor(T0 + 10 s): 9.5 s after it was stored
    assert.equal(requests(h, 9_499).length, 0);
    assert.equal(h.processor.pendingEdges, 1);
    assert.deepEqual(requests(h, 1), [
      [key(REQUEST, { client: 'user', server: 'b', connection_type: 'virtual_node' }), 1],
    ]);
    assert.equal(h.processor.pendingEdges, 0);
  });

  test('halves more than wait apart: the client half expires as a virtual-node edge, the late server half waits alone', () => {
    const h = new Harness('wait: 2s');
    const [client, server] = pair('a', 'b', { attributes: { 'peer.service': 'b-peer' } });
    h.push(client);
    assert.deepEqual(requests(h, 3_000), [
      [key(REQUEST, { client: 'a', server: 'b-peer', connection_type: 'virtual_node' }), 1],
    ]);
    h.push(server);
    assert.equal(h.processor.pendingEdges, 1);
    assert.equal(requests(h, 3_000).length, 0, 'a non-root server-only edge never makes metrics');
    assert.equal(h.processor.counters.expired('SPAN_KIND_SERVER'), 1);
  });

  test('expiry stops at the first edge not yet due', () => {
    const h = new Harness('wait: 10s');
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT }]));
    h.nowMs += 5_000;
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT }]));
    h.expire(5_000);
    assert.equal(h.processor.pendingEdges, 1);
    assert.equal(h.processor.counters.expired('SPAN_KIND_CLIENT'), 1);
    h.expire(0, true);
    assert.equal(h.processor.pendingEdges, 0);
    assert.equal(h.processor.counters.expired('SPAN_KIND_CLIENT'), 2);
  });

  test('an edge updated by a second span keeps its first expiration', () => {
    const h = new Harness('wait: 10s');
    const id = spanId();
    h.push(svc('', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }]));
    h.nowMs += 8_000;
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: id }]));
    h.expire(2_000);
    assert.equal(h.processor.pendingEdges, 0);
  });
});

describe('virtual nodes and expired edges', () => {
  test('root server only: client is the peer attribute, else "user"', () => {
    const h = new Harness();
    h.push(
      svc('b', [
        { kind: SpanKind.SPAN_KIND_SERVER },
        { kind: SpanKind.SPAN_KIND_SERVER, traceId: '33'.repeat(16), attributes: { 'peer.service': 'edge-proxy' } },
      ]),
    );
    assert.deepEqual(
      requests(h, 0, true).map(([k]) => k),
      [
        key(REQUEST, { client: 'user', server: 'b', connection_type: 'virtual_node' }),
        key(REQUEST, { client: 'edge-proxy', server: 'b', connection_type: 'virtual_node' }),
      ],
    );
  });

  test('peer_attributes are read from span attributes only, first present key wins', () => {
    const h = new Harness('peer_attributes: [rpc.service, peer.service]');
    h.push(
      svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, attributes: { 'peer.service': 'p', 'rpc.service': 'r' } }], {
        'rpc.service': 'resource',
      }),
      svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, attributes: {} }], { 'peer.service': 'resource' }),
    );
    assert.deepEqual(
      requests(h, 0, true).map(([k]) => k),
      [key(REQUEST, { client: 'a', server: 'r', connection_type: 'virtual_node' })],
    );
    assert.equal(h.processor.counters.expired('SPAN_KIND_CLIENT'), 1);
  });

  test('a later span of a pending edge can name the peer', () => {
    const h = new Harness();
    const id = spanId();
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }]));
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id, attributes: { 'peer.service': 'late' } }]));
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }]));
    assert.deepEqual(
      requests(h, 0, true).map(([k]) => k),
      [key(REQUEST, { client: 'a', server: 'late', connection_type: 'virtual_node' })],
    );
  });

  test('unmatched edges without a virtual node are counted by the kind of their last span', () => {
    const h = new Harness();
    h.push(
      svc('a', [
        { kind: SpanKind.SPAN_KIND_CLIENT },
        { kind: SpanKind.SPAN_KIND_PRODUCER },
        { kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: spanId() },
        { kind: SpanKind.SPAN_KIND_CONSUMER, parentSpanId: spanId() },
      ]),
    );
    assert.equal(requests(h, 0, true).length, 0);
    const c = h.processor.counters;
    assert.deepEqual(Object.fromEntries(c.expiredEdges), {
      SPAN_KIND_CLIENT: 1,
      SPAN_KIND_PRODUCER: 1,
      SPAN_KIND_SERVER: 1,
      SPAN_KIND_CONSUMER: 1,
    });
    assert.equal(c.edges, 4);
  });
});

describe('max_items', () => {
  test('a new incomplete edge is dropped when max_items edges are pending; updates and complete edges still work', () => {
    const h = new Harness('max_items: 1');
    const [client, server] = pair('a', 'b');
    h.push(client);
    h.push(svc('x', [{ kind: SpanKind.SPAN_KIND_CLIENT }]));
    assert.equal(h.processor.pendingEdges, 1);
    assert.equal(h.processor.counters.droppedSpans, 1);
    assert.equal(h.stats.discarded('service_graphs_max_items', 'service-graphs'), 1);
    h.push(svc('app', [{ kind: SpanKind.SPAN_KIND_CLIENT, attributes: { 'db.name': 'd' } }]));
    h.push(server);
    const keys = [...summary(h.drain()).keys()].filter((k) => k.startsWith(REQUEST));
    assert.deepEqual(keys, [
      key(REQUEST, { client: 'app', server: 'd', connection_type: 'database' }),
      key(REQUEST, { client: 'a', server: 'b' }),
    ]);
    assert.equal(h.processor.counters.edges, 2, 'dropped spans are not edges');
  });
});
