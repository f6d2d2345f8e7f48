// filter_policies in service graphs (Tempo's droppedSpanSide): filtered spans are counted, and the other side
// of a filtered span must not make an edge either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, REQUEST, SpanKind, key, pair, spanId, summary, svc } from './harness.ts';

const EXCLUDE_A = `filter_policies:
  - exclude:
      match_type: strict
      attributes:
        - {key: resource.service.name, value: a}`;

test('spans failing the filter are discarded and counted; their pairs make no edge', () => {
  const h = new Harness(EXCLUDE_A);
  h.push(...pair('a', 'b'), ...pair('c', 'b'));
  const out = summary(h.drain());
  assert.deepEqual(
    [...out.keys()].filter((k) => k.startsWith(REQUEST)),
    [key(REQUEST, { client: 'c', server: 'b' })],
  );
  assert.equal(h.stats.discarded('service_graphs_filtered', 'service-graphs'), 1);
  assert.equal(h.processor.counters.droppedEdges, 1);
  assert.equal(h.stats.discarded('service_graphs_filtered_counterpart', 'service-graphs'), 1);
  assert.equal(h.processor.pendingEdges, 0);
});

test('a filtered span deletes its pending counterpart at once', () => {
  const h = new Harness(EXCLUDE_A);
  const [client, server] = pair('a', 'b');
  h.push(server);
  assert.equal(h.processor.pendingEdges, 1);
  h.push(client);
  assert.equal(h.processor.pendingEdges, 0);
  assert.equal(h.processor.counters.droppedEdges, 1);
  // nothing left to expire
  assert.equal(h.expire(0, true).length, 0);
  assert.equal(h.processor.counters.expiredEdges.size, 0);
});

test('a filtered side does not delete a pending edge from the same side', () => {
  const exclude = `filter_policies:
  - exclude:
      match_type: strict
      attributes:
        - {key: span.drop, value: true}`;
  const h = new Harness(exclude);
  const id = spanId();
  h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id }]));
  h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id, attributes: { drop: true } }]));
  assert.equal(h.processor.pendingEdges, 1);
  assert.equal(h.processor.counters.droppedEdges, 0);
});

test('a filtered root server span records no dropped side', () => {
  const h = new Harness(EXCLUDE_A);
  h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_SERVER }]));
  assert.equal(h.processor.droppedSpanSides, 0);
  h.push(svc('a', [{ kind: SpanKind.SPAN_KIND_SERVER, parentSpanId: spanId() }]));
  assert.equal(h.processor.droppedSpanSides, 1);
});

test('dropped sides are forgotten once wait has passed (at the next expiry)', () => {
  const h = new Harness(`wait: 5s\n${EXCLUDE_A}`);
  const [client, server] = pair('a', 'b');
  h.push(client);
  h.expire(4_999);
  assert.equal(h.processor.droppedSpanSides, 1);
  h.expire(1);
  assert.equal(h.processor.droppedSpanSides, 0);
  h.push(server);
  assert.equal(h.processor.pendingEdges, 1, 'the late server side waits as a normal edge');
  assert.equal(h.processor.counters.droppedEdges, 0);
});

test('the dropped-side cache holds at most max_items entries', () => {
  const h = new Harness(`max_items: 2\n${EXCLUDE_A}`);
  h.push(
    svc(
      'a',
      [1, 2, 3].map(() => ({ kind: SpanKind.SPAN_KIND_CLIENT, spanId: spanId() })),
    ),
  );
  assert.equal(h.processor.droppedSpanSides, 2);
  assert.equal(h.processor.droppedSpanSideCacheOverflows, 1);
});

test('include policy on span kind: only the matching side is kept', () => {
  const include = `filter_policies:
  - include:
      match_type: regex
      attributes:
        - {key: kind, value: "SPAN_KIND_(CLIENT|SERVER)"}`;
  const h = new Harness(include);
  const id = spanId();
  h.push(
    svc('p', [{ kind: SpanKind.SPAN_KIND_PRODUCER, spanId: id }]),
    svc('c', [{ kind: SpanKind.SPAN_KIND_CONSUMER, parentSpanId: id }]),
  );
  h.push(...pair('a', 'b'));
  assert.deepEqual(
    [...summary(h.drain()).keys()].filter((k) => k.startsWith(REQUEST)),
    [key(REQUEST, { client: 'a', server: 'b' })],
  );
  assert.equal(h.stats.discarded('service_graphs_filtered', 'service-graphs'), 2);
});

test('a span filtered again refreshes its dropped side', () => {
  const h = new Harness(`wait: 5s\n${EXCLUDE_A}`);
  const [client, server] = pair('a', 'b');
  h.push(client);
  h.nowMs += 4_000;
  h.push(client);
  h.expire(2_000);
  assert.equal(h.processor.droppedSpanSides, 1);
  h.push(server);
  assert.equal(h.processor.pendingEdges, 0);
  assert.equal(h.processor.counters.droppedEdges, 1);
});
