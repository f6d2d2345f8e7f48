// Pending halves saved with the flusher's state: what a pairing saves it loads again, and a state
// saved by earlier code (halves as base64-keyed JSON objects) still loads into the same pending
// edges, so the next pairing or expiry gives the metrics it would have given before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../lib/config/index.ts';
import { HalfPairing } from '../../../lib/processors/servicegraphs/half-pairing.ts';
import type { SeriesIncrement } from '../../../lib/series/types.ts';
import { serviceGraphHalvesDelta } from '../../delta/fixtures.ts';
import { SAVED_PENDING_JSON } from './saved-pending-example.ts';

const tenant = parseConfig(`
metrics_generator:
  processor:
    service_graphs:
      dimensions: [region, env]
      enable_messaging_system_latency_histogram: true
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs]
`).tenant('t');

const noDiscards = { discard: () => {} };

/** The pairing the saved example was taken from, rebuilt from the same inputs. */
function examplePairing(): HalfPairing {
  const d = serviceGraphHalvesDelta(16, 21).tenants[0];
  const p = new HalfPairing(tenant, noDiscards);
  for (const s of d.droppedSides ?? []) p.addDroppedSide(s);
  for (const h of d.edgeHalves ?? []) p.addHalf(h);
  const first = (d.edgeHalves ?? [])[0];
  p.addHalf({
    ...first,
    key: new Uint8Array(24).fill(3),
    clientService: 'café \ud800',
    serverService: '',
    peerNode: '',
  });
  p.expire(1_760_000_040_000);
  // the flusher folds what expiry produced before it saves
  p.drain([]);
  return p;
}

/** Counterparts of every pending half, then expiry of the rest: the metrics a pairing still owes. */
function settleAll(p: HalfPairing): SeriesIncrement[] {
  const d = serviceGraphHalvesDelta(16, 21).tenants[0];
  for (const h of d.edgeHalves ?? [])
    p.addHalf({
      ...h,
      side: h.side === 0 ? 1 : 0,
      arrivalMs: h.arrivalMs + 500,
      clientService: h.side === 0 ? '' : 'caller',
      serverService: h.side === 0 ? 'callee' : '',
    });
  p.expire(Number.MAX_SAFE_INTEGER);
  const out: SeriesIncrement[] = [];
  p.drain(out);
  return out;
}

test('a pairing saved by earlier code (halves as JSON objects) loads into the same pending edges', () => {
  const expected = examplePairing();
  const restored = new HalfPairing(tenant, noDiscards);
  restored.restore(JSON.parse(SAVED_PENDING_JSON));
  assert.equal(restored.pending, expected.pending);
  assert.ok(restored.pending > 0);
  assert.deepEqual([...restored.counters.expiredEdges], [...expected.counters.expiredEdges]);
  const owed = settleAll(expected);
  assert.ok(owed.length > 0);
  assert.deepEqual(settleAll(restored), owed);
});

test('what a pairing saves (as JSON) loads into the same pending edges and counters', () => {
  const a = examplePairing();
  const b = new HalfPairing(tenant, noDiscards);
  b.restore(JSON.parse(JSON.stringify(a.snapshot())));
  assert.equal(b.pending, a.pending);
  assert.deepEqual(b.snapshot(), a.snapshot());
  assert.deepEqual(settleAll(b), settleAll(a));
});
