// What an edge that waited `wait` in vain becomes (Tempo's onExpire in
// modules/generator/processor/servicegraphs/servicegraphs.go): a root server span
// was called from outside, so a virtual client (its peer attribute, or "user") stands in; a client
// whose peer attribute names the uninstrumented callee gets that as a virtual server. Anything
// else expires without metrics. Shared by the in-batch processor and the flusher's pairing.

import { spanKindName } from '../../decode/span-view.ts';
import { CONNECTION_VIRTUAL_NODE, type Edge } from './edge.ts';
import type { EdgeMetrics } from './edge-metrics.ts';
import type { ServiceGraphsCounters } from './processor.ts';

/** Turns an expired edge into a virtual-node edge in place; false when it yields no metrics. */
export function resolveVirtualNode(e: Edge, virtualNodeSlot: number): boolean {
  e.connectionType = CONNECTION_VIRTUAL_NODE;
  if (e.clientService === '') {
    if (!e.isRoot) return false;
    e.clientService = e.peerNode !== '' ? e.peerNode : 'user';
    if (virtualNodeSlot >= 0) e.dimensions[virtualNodeSlot] = 'client';
    return true;
  }
  if (e.serverService === '' && e.peerNode !== '') {
    e.serverService = e.peerNode;
    if (virtualNodeSlot >= 0) e.dimensions[virtualNodeSlot] = 'server';
    return true;
  }
  return false;
}

/**
 * Settles an expired edge: records its virtual-node metrics (true: the caller keeps the edge until
 * the metrics are drained, its key backs the exemplar) or counts it as expired by the kind of its
 * last span (false: the caller may reuse it).
 */
export function settleExpired(
  e: Edge,
  virtualNodeSlot: number,
  metrics: EdgeMetrics,
  counters: ServiceGraphsCounters,
): boolean {
  if (resolveVirtualNode(e, virtualNodeSlot)) {
    metrics.record(e, e.keyBuf, 0, e.traceLen);
    return true;
  }
  const kind = spanKindName(e.spanKind);
  counters.expiredEdges.set(kind, counters.expired(kind) + 1);
  return false;
}
