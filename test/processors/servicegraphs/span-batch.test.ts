// Service graphs through SpanBatch: pairing across records of one batch, and the drain options
// that expire pending edges (lib/pipeline/span-batch.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../lib/config/index.ts';
import { silentLogger } from '../../../lib/log/logger.ts';
import { SpanBatch } from '../../../lib/pipeline/span-batch.ts';
import { buildResourceSpans, encodeTracesData } from '../../../testing/build.ts';
import { REQUEST, key, pair, summary } from './harness.ts';

const CONFIG = parseConfig(`
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs-request]
`);

function batchWith(...halves: ReturnType<typeof pair>[number][]): SpanBatch {
  const batch = new SpanBatch(CONFIG, { applySlack: false, log: silentLogger });
  for (const h of halves) batch.addTracesData('t', encodeTracesData(buildResourceSpans(h)));
  return batch;
}

const requests = (batch: SpanBatch, opts?: Parameters<SpanBatch['drain']>[0]) =>
  [...summary(batch.drain(opts).get('t') ?? [])].filter(([k]) => k.startsWith(REQUEST));

test('halves in different records of one batch pair', () => {
  const [client, server] = pair('a', 'b');
  assert.deepEqual(requests(batchWith(server, client)), [[key(REQUEST, { client: 'a', server: 'b' }), 1]]);
});

test('drain expires what is due at nowMs; expireAll expires everything pending', () => {
  const [client] = pair('a', 'b', { attributes: { 'peer.service': 'b' } });
  const [other] = pair('c', 'd', { attributes: { 'peer.service': 'd' } });
  const batch = batchWith(client);
  assert.deepEqual(requests(batch, { nowMs: Date.now() }), [], 'not due yet: still pending');
  assert.deepEqual(requests(batch, { nowMs: Date.now() + 11_000 }), [
    [key(REQUEST, { client: 'a', server: 'b', connection_type: 'virtual_node' }), 1],
  ]);
  batch.addTracesData('t', encodeTracesData(buildResourceSpans(other)));
  assert.deepEqual(requests(batch, { expireAll: true }), [
    [key(REQUEST, { client: 'c', server: 'd', connection_type: 'virtual_node' }), 1],
  ]);
});
