import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistogramIncrement } from '../../../lib/series/types.ts';
import { BASE_NS, encodeTracesData, buildResourceSpans, int } from '../../../testing/build.ts';
import {
  CLIENT_SECONDS,
  CONNECTION_INFO,
  FAILED,
  Harness,
  MESSAGING_SECONDS,
  REQUEST,
  SERVER_SECONDS,
  SpanKind,
  StatusCode,
  key,
  pair,
  spanId,
  summary,
  svc,
} from './harness.ts';

const MS = 1_000_000n;

describe('pairing', () => {
  test('client and server spans make one edge, in either order and across pushes', () => {
    const h = new Harness();
    const [c, s] = pair('a', 'b');
    h.push(s);
    assert.equal(h.processor.pendingEdges, 1);
    h.push(c);
    assert.equal(h.processor.pendingEdges, 0);
    h.push(...pair('a', 'b'));
    const out = summary(h.drain());
    assert.equal(out.get(key(REQUEST, { client: 'a', server: 'b' })), 2);
    assert.equal(out.get(key(CLIENT_SECONDS + '_count', { client: 'a', server: 'b' })), 2);
    assert.equal(h.processor.counters.edges, 2);
    assert.equal(h.drain().length, 0, 'drain starts a new batch');
  });

  test('increments per label set: request, server and client histograms, in first-seen order', () => {
    const h = new Harness();
    h.push(...pair('a', 'b'), ...pair('c', 'd'));
    const out = h.drain();
    assert.deepEqual(
      out.map((i) => `${i.name}:${i.labels.map((l) => l.value).join('>')}`),
      [REQUEST, SERVER_SECONDS, CLIENT_SECONDS, REQUEST, SERVER_SECONDS, CLIENT_SECONDS].map(
        (n, i) => `${n}:${i < 3 ? 'a>b' : 'c>d'}`,
      ),
    );
  });

  test('latencies: each side its own span duration; negative durations observe 0', () => {
    const h = new Harness('histogram_buckets: [0.1]');
    h.push(
      ...pair('a', 'b', { endNs: BASE_NS + 300n * MS }, { startNs: BASE_NS + 10n * MS, endNs: BASE_NS + 60n * MS }),
    );
    h.push(...pair('a', 'b', { endNs: BASE_NS - MS }, { endNs: BASE_NS }));
    const out = summary(h.drain());
    const labels = { client: 'a', server: 'b' };
    assert.equal(out.get(key(CLIENT_SECONDS + '_sum', labels)), 0.3);
    assert.equal(out.get(key(SERVER_SECONDS + '_sum', labels)), 0.05);
    assert.equal(out.get(key(CLIENT_SECONDS + '_count', labels)), 2);
  });

  test('INTERNAL and UNSPECIFIED spans are ignored, not counted as filtered', () => {
    const h = new Harness();
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_INTERNAL }, { kind: SpanKind.SPAN_KIND_UNSPECIFIED }]));
    assert.equal(h.processor.pendingEdges, 0);
    assert.equal(h.stats.spansDiscarded.size, 0);
  });

  test('a resource without service.name is skipped; an empty service.name is a service called ""', () => {
    const h = new Harness();
    const id = spanId();
    h.push({ resource: { 'host.name': 'x' }, spans: [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }] });
    assert.equal(h.processor.pendingEdges, 0);
    h.push(svc('', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }]));
    assert.equal(h.processor.pendingEdges, 1);
    // the server side arrives: still incomplete, since the client service is empty
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: id }]));
    assert.equal(h.processor.pendingEdges, 1);
    assert.equal(h.drain().length, 0);
  });

  test('keys compare trace id bytes too, and oversized ids still pair', () => {
    const h = new Harness();
    const id = spanId();
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id, traceId: '11'.repeat(16) }]));
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: id, traceId: '22'.repeat(16) }]));
    assert.equal(h.processor.pendingEdges, 2);
    const longTrace = 'ab'.repeat(40);
    const longSpan = 'cd'.repeat(20);
    h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: longSpan, traceId: longTrace }]));
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: longSpan, traceId: longTrace }]));
    assert.equal(h.processor.pendingEdges, 2);
    assert.equal(summary(h.drain()).get(key(REQUEST, { client: 'a', server: 'b' })), 1);
  });

  test('invalid UTF-8 in a label drops the edge and counts it once', () => {
    const h = new Harness();
    const bytes = encodeTracesData(
      ...pair('a', 'bad\u0001').map(buildResourceSpans),
      ...pair('a', 'ok').map(buildResourceSpans),
    );
    const i = Buffer.from(bytes).indexOf(Buffer.from('bad\u0001'));
    bytes[i + 3] = 0xff;
    h.pushBytes(bytes);
    const out = summary(h.drain());
    assert.deepEqual(
      [...out.keys()].filter((k) => k.startsWith(REQUEST)),
      [key(REQUEST, { client: 'a', server: 'ok' })],
    );
    assert.equal(h.stats.discarded('invalid_utf8', 'service-graphs'), 1);
  });
});

describe('databases', () => {
  const dbEdge = (attrs: Record<string, unknown>, resource: Record<string, unknown> = {}) => {
    const h = new Harness();
    h.push(
      svc(
        'app',
        [{ kind: SpanKind.SPAN_KIND_CLIENT, endNs: BASE_NS + 20n * MS, attributes: attrs as never }],
        resource as never,
      ),
    );
    assert.equal(h.processor.pendingEdges, 0, 'a database call completes alone');
    return summary(h.drain());
  };
  const db = (server: string) => ({ client: 'app', server, connection_type: 'database' });

  test('db name fallback, server latency = client span duration', () => {
    const out = dbEdge({ 'db.name': 'orders', 'db.system': 'postgresql' });
    assert.equal(out.get(key(REQUEST, db('orders'))), 1);
    assert.equal(out.get(key(SERVER_SECONDS + '_sum', db('orders'))), 0.02);
    assert.equal(out.get(key(CLIENT_SECONDS + '_sum', db('orders'))), 0.02);
  });

  test('server name: peer.service, then server.address, then network.peer.address(:port)', () => {
    const base = { 'db.system': 'postgresql' };
    assert.ok(dbEdge({ ...base, 'server.address': 'srv', 'peer.service': 'peer' }).has(key(REQUEST, db('peer'))));
    assert.ok(dbEdge({ ...base, 'network.peer.address': 'np', 'server.address': 'srv' }).has(key(REQUEST, db('srv'))));
    assert.ok(
      dbEdge({ ...base, 'network.peer.address': '10.0.0.1', 'network.peer.port': int(5432) }).has(
        key(REQUEST, db('10.0.0.1:5432')),
      ),
    );
    assert.ok(dbEdge({ ...base, 'network.peer.address': '10.0.0.1' }).has(key(REQUEST, db('10.0.0.1'))));
  });

  test('database_name_attributes order: db.namespace before db.name before db.system', () => {
    assert.ok(dbEdge({ 'db.system': 'mysql', 'db.name': 'legacy', 'db.namespace': 'ns' }).has(key(REQUEST, db('ns'))));
    assert.ok(dbEdge({ 'db.system': 'mysql', 'db.system.name': 'mariadb' }).has(key(REQUEST, db('mysql'))));
  });

  test('attributes are looked up in the resource first', () => {
    const out = dbEdge({ 'db.name': 'span-db' }, { 'db.name': 'resource-db' });
    assert.ok(out.has(key(REQUEST, db('resource-db'))), [...out.keys()].join('\n'));
  });

  test('an empty db name with no server attribute leaves the edge waiting', () => {
    const h = new Harness();
    h.push(svc('app', [{ kind: SpanKind.SPAN_KIND_CLIENT, attributes: { 'db.name': '' } }]));
    assert.equal(h.processor.pendingEdges, 1);
  });

  test('custom database_name_attributes', () => {
    const h = new Harness('database_name_attributes: [cache.name]');
    h.push(
      svc('app', [
        { kind: SpanKind.SPAN_KIND_CLIENT, attributes: { 'cache.name': 'redis-1' } },
        { kind: SpanKind.SPAN_KIND_CLIENT, attributes: { 'db.name': 'x' } },
      ]),
    );
    assert.equal(h.processor.pendingEdges, 1);
    assert.ok(summary(h.drain()).has(key(REQUEST, db('redis-1'))));
  });
});

describe('messaging', () => {
  const producerConsumer = (
    gapNs: bigint,
    consumerKind = SpanKind.SPAN_KIND_CONSUMER,
    producerKind = SpanKind.SPAN_KIND_PRODUCER,
  ) => {
    const id = spanId();
    return [
      svc('producer', [{ kind: producerKind, spanId: id, startNs: BASE_NS, endNs: BASE_NS + MS }]),
      svc('consumer', [
        { kind: consumerKind, parentSpanId: id, startNs: BASE_NS + MS + gapNs, endNs: BASE_NS + 10n * MS + gapNs },
      ]),
    ];
  };
  const mq = { client: 'producer', server: 'consumer', connection_type: 'messaging_system' };

  test('PRODUCER/CONSUMER edges; messaging latency = consumer start - producer end', () => {
    const h = new Harness('enable_messaging_system_latency_histogram: true');
    h.push(...producerConsumer(5n * MS));
    const out = summary(h.drain());
    assert.equal(out.get(key(REQUEST, mq)), 1);
    assert.equal(out.get(key(MESSAGING_SECONDS + '_sum', mq)), 0.005);
    assert.equal(out.get(key(MESSAGING_SECONDS + '_count', mq)), 1);
  });

  test('no messaging observation when the producer ends at or after the consumer start', () => {
    const h = new Harness('enable_messaging_system_latency_histogram: true');
    h.push(...producerConsumer(0n), ...producerConsumer(-MS / 2n));
    const out = summary(h.drain());
    assert.equal(out.get(key(REQUEST, mq)), 2);
    assert.equal(
      [...out.keys()].some((k) => k.startsWith(MESSAGING_SECONDS)),
      false,
    );
  });

  test('the messaging histogram is off by default', () => {
    const h = new Harness();
    h.push(...producerConsumer(5n * MS));
    assert.equal(
      [...summary(h.drain()).keys()].some((k) => k.startsWith(MESSAGING_SECONDS)),
      false,
    );
  });

  test('the span processed last sets connection_type: CLIENT+CONSUMER is messaging, PRODUCER+SERVER is not', () => {
    const h = new Harness();
    h.push(...producerConsumer(MS, SpanKind.SPAN_KIND_CONSUMER, SpanKind.SPAN_KIND_CLIENT));
    h.push(...producerConsumer(MS, SpanKind.SPAN_KIND_SERVER, SpanKind.SPAN_KIND_PRODUCER));
    const out = summary(h.drain());
    assert.equal(out.get(key(REQUEST, mq)), 1);
    assert.equal(out.get(key(REQUEST, { client: 'producer', server: 'consumer' })), 1);
  });
});

describe('failures, multiplier, subprocessors', () => {
  test('failed when either side has STATUS_CODE_ERROR; the failed series appears with the first failure', () => {
    const h = new Harness();
    const err = { status: { code: StatusCode.STATUS_CODE_ERROR } };
    h.push(...pair('a', 'b'));
    let out = summary(h.drain());
    assert.equal(out.has(key(FAILED, { client: 'a', server: 'b' })), false);
    h.push(...pair('a', 'b', err), ...pair('a', 'b', {}, err), ...pair('a', 'b', err, err), ...pair('a', 'b'));
    out = summary(h.drain());
    assert.equal(out.get(key(REQUEST, { client: 'a', server: 'b' })), 4);
    assert.equal(out.get(key(FAILED, { client: 'a', server: 'b' })), 3);
  });

  test('HTTP status codes do not make a failure', () => {
    const h = new Harness();
    h.push(
      ...pair('a', 'b', { attributes: { 'http.status_code': int(500) }, status: { code: StatusCode.STATUS_CODE_OK } }),
    );
    assert.equal(summary(h.drain()).has(key(FAILED, { client: 'a', server: 'b' })), false);
  });

  test('span_multiplier_key: the span processed last sets the edge multiplier', () => {
    const h = new Harness('span_multiplier_key: ratio\nhistogram_buckets: [1]');
    h.push(
      ...pair(
        'a',
        'b',
        { attributes: { ratio: 0.5 } },
        { attributes: { ratio: 0.25 }, status: { code: StatusCode.STATUS_CODE_ERROR } },
      ),
    );
    h.push(...pair('a', 'b', { attributes: { ratio: 0.5 } }));
    const out = summary(h.drain());
    const ab = { client: 'a', server: 'b' };
    assert.equal(out.get(key(REQUEST, ab)), 4 + 1);
    assert.equal(out.get(key(FAILED, ab)), 4);
    assert.equal(out.get(key(CLIENT_SECONDS + '_count', ab)), 5);
  });

  test('enable_tracestate_span_multiplier', () => {
    const h = new Harness('enable_tracestate_span_multiplier: true');
    h.push(...pair('a', 'b', {}, { traceState: 'ot=th:c' }));
    assert.equal(summary(h.drain()).get(key(REQUEST, { client: 'a', server: 'b' })), 4);
  });

  test('connection info gauge: value 1, set mode, only with its subprocessor', () => {
    const h = new Harness('', '[service-graphs, service-graphs-connection-info]');
    h.push(...pair('a', 'b'), ...pair('a', 'b'));
    const out = h.drain();
    const gauges = out.filter((i) => i.name === CONNECTION_INFO);
    assert.equal(gauges.length, 1);
    assert.deepEqual(
      { ...gauges[0], labels: undefined },
      { type: 'gauge', name: CONNECTION_INFO, labels: undefined, value: 1, mode: 'set' },
    );
    assert.ok(out.some((i) => i.name === REQUEST));
    const plain = new Harness();
    plain.push(...pair('a', 'b'));
    assert.equal(
      plain.drain().some((i) => i.name === CONNECTION_INFO),
      false,
    );
  });

  test('service-graphs-latency alone: histograms only', () => {
    const h = new Harness('', '[service-graphs-latency]');
    h.push(...pair('a', 'b'));
    assert.deepEqual(
      h.drain().map((i) => i.name),
      [SERVER_SECONDS, CLIENT_SECONDS],
    );
  });
});

describe('dimensions', () => {
  test('without prefix: resource before span, the span processed last wins, absent keeps, "" drops', () => {
    const h = new Harness('dimensions: [env, http.method, team]');
    h.push(
      svc(
        'a',
        [
          {
            kind: SpanKind.SPAN_KIND_CLIENT,
            spanId: '00000000000000c1',
            attributes: { env: 'span', 'http.method': 'GET', team: 'x' },
          },
        ],
        { env: 'res' },
      ),
      svc('b', [
        {
          kind: SpanKind.SPAN_KIND_SERVER,
          parentSpanId: '00000000000000c1',
          attributes: { 'http.method': 'POST', team: '' },
        },
      ]),
    );
    const out = summary(h.drain());
    assert.deepEqual(
      [...out.keys()].filter((k) => k.startsWith(REQUEST)),
      [key(REQUEST, { client: 'a', server: 'b', env: 'res', http_method: 'POST' })],
    );
  });

  test('with enable_client_server_prefix: client_ and server_ labels from each side', () => {
    const h = new Harness('dimensions: [http.method]\nenable_client_server_prefix: true');
    h.push(...pair('a', 'b', { attributes: { 'http.method': 'GET' } }, { attributes: { 'http.method': 'POST' } }));
    h.push(...pair('a', 'c', { attributes: { 'http.method': 'GET' } }));
    const keys = [...summary(h.drain()).keys()].filter((k) => k.startsWith(REQUEST));
    assert.deepEqual(keys, [
      key(REQUEST, { client: 'a', server: 'b', client_http_method: 'GET', server_http_method: 'POST' }),
      key(REQUEST, { client: 'a', server: 'c', client_http_method: 'GET' }),
    ]);
  });

  test('virtual_node label is never prefixed, and only set on expiry', () => {
    const h = new Harness('dimensions: [env]\nenable_client_server_prefix: true\nenable_virtual_node_label: true');
    h.push(...pair('a', 'b', { attributes: { env: 'x' } }));
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, attributes: { env: 'y' } }]));
    const out = [...summary(h.expire(0, true)).keys()].filter((k) => k.startsWith(REQUEST));
    assert.deepEqual(out, [
      key(REQUEST, { client: 'a', server: 'b', client_env: 'x' }),
      key(REQUEST, {
        client: 'user',
        server: 'b',
        connection_type: 'virtual_node',
        server_env: 'y',
        virtual_node: 'client',
      }),
    ]);
  });
});

describe('histograms and exemplars', () => {
  const TRACE = '0123456789abcdef0123456789abcdef';

  test('classic exemplars carry the edge trace id, completed or expired', () => {
    const h = new Harness('histogram_buckets: [1]');
    h.push(...pair('a', 'b', { traceId: TRACE }, { traceId: TRACE }));
    const completed = h.drain().find((i) => i.name === SERVER_SECONDS) as HistogramIncrement;
    assert.equal(completed.classic!.exemplars[0]!.traceId, TRACE);
    h.push(svc('b', [{ kind: SpanKind.SPAN_KIND_SERVER, traceId: TRACE }]));
    const expired = h.expire(0, true).find((i) => i.name === CLIENT_SECONDS) as HistogramIncrement;
    assert.equal(expired.classic!.exemplars[0]!.traceId, TRACE);
    assert.equal(expired.classic!.exemplars[0]!.value, 0);
  });

  test('native mode: native histograms only; both: native and classic', () => {
    const native = new Harness('histogram_buckets: [1]', '[service-graphs]', 'generate_native_histograms: native');
    native.push(...pair('a', 'b', { traceId: TRACE }, { traceId: TRACE }));
    const n = native.drain().filter((i) => i.type === 'histogram') as HistogramIncrement[];
    assert.equal(n.length, 2);
    assert.ok(
      n.every((i) => i.classic === undefined && i.native!.count === 1 && i.native!.exemplar?.traceId === TRACE),
    );
    const both = new Harness('histogram_buckets: [1]', '[service-graphs]', 'generate_native_histograms: both');
    both.push(...pair('a', 'b'));
    const b = both.drain().filter((i) => i.type === 'histogram') as HistogramIncrement[];
    assert.ok(b.every((i) => i.classic!.count === 1 && i.native!.count === 1));
  });

  test('native mode repeats an observation ceil(multiplier) times', () => {
    const h = new Harness('span_multiplier_key: r', '[service-graphs]', 'generate_native_histograms: native');
    h.push(...pair('a', 'b', {}, { attributes: { r: 0.4 } }));
    const out = h.drain();
    assert.equal((out.find((i) => i.name === REQUEST) as { value: number }).value, 2.5);
    assert.equal((out.find((i) => i.name === SERVER_SECONDS) as HistogramIncrement).native!.count, 3);
  });
});
