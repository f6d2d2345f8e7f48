// Edges to halves and back: what an edge still waiting for its other side hands to the flusher,
// and how the flusher's pairing turns halves into the edge the two spans would have made.

import {
  type DroppedSideHalf,
  type EdgeHalf,
  SIDE_CLIENT,
  SIDE_SERVER,
  type Side,
} from '../../servicegraph-model/half.ts';
import { CONNECTION_DATABASE, type DroppedSide, type Edge } from './edge.ts';

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

/** A copy of a dropped side's key and time as a half. */
export function droppedSideHalfOf(side: Side, d: DroppedSide): DroppedSideHalf {
  return { key: d.keyBuf.slice(0, d.keyLen), traceIdLength: d.traceLen, side, arrivalMs: d.arrivalMs };
}

/** Fills a cleared edge (key and list links excepted) from a half. */
export function loadHalf(e: Edge, h: EdgeHalf): void {
  e.firstSide = h.side;
  e.arrivalMs = h.arrivalMs;
  e.connectionType = h.connectionType;
  e.spanKind = h.spanKind;
  e.failed = h.failed;
  copyClientSide(e, h);
  copyServerSide(e, h);
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
    copyClientSide(e, h);
    if (h.connectionType === CONNECTION_DATABASE) {
      e.serverLatencySec = h.serverLatencySec;
      if (h.serverService !== '') e.serverService = h.serverService;
    }
  } else copyServerSide(e, h);
  const n = Math.min(e.dimensions.length, h.dimensions.length);
  for (let i = 0; i < n; i++) if (h.dimensions[i] !== '') e.dimensions[i] = h.dimensions[i];
  if (h.peerNode !== '') e.peerNode = h.peerNode;
}

/** What the client span told: its service, latency and end time. */
function copyClientSide(e: Edge, h: EdgeHalf): void {
  e.clientService = h.clientService;
  e.clientLatencySec = h.clientLatencySec;
  e.clientEndHi = h.clientEndHi;
  e.clientEndLo = h.clientEndLo;
}

/** What the server span told: its service, latency and start time. */
function copyServerSide(e: Edge, h: EdgeHalf): void {
  e.serverService = h.serverService;
  e.serverLatencySec = h.serverLatencySec;
  e.serverStartHi = h.serverStartHi;
  e.serverStartLo = h.serverStartLo;
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
