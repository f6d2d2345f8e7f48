// A service-graph edge seen from one side only, as the ingest hands it to the flusher (see
// docs/architecture.md: unpaired halves go into the delta, the flusher pairs them across batches and
// partitions). A half carries what its span(s) told the edge, so pairing two halves gives the same
// edge, and the same metrics, as pairing the two spans in one batch would.

import { CONNECTION_DATABASE, SIDE_CLIENT, SIDE_SERVER, type Edge, type Side } from './edge.ts';

export interface EdgeHalf {
  /** Trace id bytes, then the span id bytes (the client's span id, or the server's parent id). */
  readonly key: Uint8Array;
  readonly traceIdLength: number;
  /** Side of the span that created it. */
  readonly side: Side;
  /** Unix ms the half arrived: its Kafka record's timestamp, the same on every retry. */
  readonly arrivalMs: number;
  readonly connectionType: number;
  readonly spanKind: number;
  readonly failed: boolean;
  readonly clientService: string;
  readonly serverService: string;
  readonly clientLatencySec: number;
  readonly serverLatencySec: number;
  /** Producer end and consumer start in ns, as unsigned 32-bit halves. */
  readonly clientEndHi: number;
  readonly clientEndLo: number;
  readonly serverStartHi: number;
  readonly serverStartLo: number;
  /** Dimension values by slot of the tenant's DimensionPlan ('' = absent). */
  readonly dimensions: readonly string[];
  readonly peerNode: string;
  readonly multiplier: number;
}

/** A side whose span the filter policies removed: its counterpart must not make an edge. */
export interface DroppedSideHalf {
  readonly key: Uint8Array;
  readonly traceIdLength: number;
  readonly side: Side;
  readonly arrivalMs: number;
}

/** Unpaired halves and dropped sides of one tenant at the end of an ingest batch. */
export interface PendingHalves {
  readonly halves: EdgeHalf[];
  readonly droppedSides: DroppedSideHalf[];
}

/** A copy of a pending edge as a half (the edge may be reused afterwards). */
export function halfOf(e: Edge): EdgeHalf {
  return {
    key: e.keyBuf.slice(0, e.keyLen),
    traceIdLength: e.traceLen,
    side: e.firstSide,
    arrivalMs: e.arrivalMs,
    connectionType: e.connectionType,
    spanKind: e.spanKind,
    failed: e.failed,
    clientService: e.clientService,
    serverService: e.serverService,
    clientLatencySec: e.clientLatencySec,
    serverLatencySec: e.serverLatencySec,
    clientEndHi: e.clientEndHi,
    clientEndLo: e.clientEndLo,
    serverStartHi: e.serverStartHi,
    serverStartLo: e.serverStartLo,
    dimensions: e.dimensions.slice(),
    peerNode: e.peerNode,
    multiplier: e.multiplier,
  };
}

/** Fills a cleared edge (key and list links excepted) from a half. */
export function loadHalf(e: Edge, h: EdgeHalf): void {
  e.firstSide = h.side;
  e.arrivalMs = h.arrivalMs;
  e.connectionType = h.connectionType;
  e.spanKind = h.spanKind;
  e.failed = h.failed;
  e.clientService = h.clientService;
  e.serverService = h.serverService;
  e.clientLatencySec = h.clientLatencySec;
  e.serverLatencySec = h.serverLatencySec;
  e.clientEndHi = h.clientEndHi;
  e.clientEndLo = h.clientEndLo;
  e.serverStartHi = h.serverStartHi;
  e.serverStartLo = h.serverStartLo;
  const n = Math.min(e.dimensions.length, h.dimensions.length);
  for (let i = 0; i < n; i++) e.dimensions[i] = h.dimensions[i];
  e.peerNode = h.peerNode;
  e.multiplier = h.multiplier;
}

/**
 * Applies a later half to an edge as its span would have updated it (the processor's update()):
 * the later span sets the connection type, span kind and multiplier, its own side's service,
 * latency and time, its side's dimensions, and a failure. A database client also names the
 * server latency.
 */
export function mergeHalf(e: Edge, h: EdgeHalf): void {
  e.connectionType = h.connectionType;
  e.spanKind = h.spanKind;
  e.multiplier = h.multiplier;
  if (h.failed) e.failed = true;
  if (h.side === SIDE_CLIENT) {
    e.clientService = h.clientService;
    e.clientLatencySec = h.clientLatencySec;
    e.clientEndHi = h.clientEndHi;
    e.clientEndLo = h.clientEndLo;
    if (h.connectionType === CONNECTION_DATABASE) {
      e.serverLatencySec = h.serverLatencySec;
      if (h.serverService !== '') e.serverService = h.serverService;
    }
  } else {
    e.serverService = h.serverService;
    e.serverLatencySec = h.serverLatencySec;
    e.serverStartHi = h.serverStartHi;
    e.serverStartLo = h.serverStartLo;
  }
  const n = Math.min(e.dimensions.length, h.dimensions.length);
  for (let i = 0; i < n; i++) if (h.dimensions[i] !== '') e.dimensions[i] = h.dimensions[i];
  if (h.peerNode !== '') e.peerNode = h.peerNode;
}

/**
 * Pairs a pending edge with the half that completes it, in arrival order (the client first on a
 * tie), whichever was folded first: the result does not depend on the order partitions are read.
 */
export function combine(pending: Edge, h: EdgeHalf): void {
  const later = h.arrivalMs > pending.arrivalMs || (h.arrivalMs === pending.arrivalMs && h.side === SIDE_SERVER);
  if (later) {
    mergeHalf(pending, h);
    return;
  }
  const earlier = halfOf(pending);
  loadHalf(pending, h);
  mergeHalf(pending, earlier);
}
