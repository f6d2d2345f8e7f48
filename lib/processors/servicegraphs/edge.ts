// One service-graph edge (Tempo: modules/generator/processor/servicegraphs/store/edge.go): what the
// client-side and server-side spans of a request told
// us so far. Edges are pooled by the store, so everything here is reset in place.

import { SIDE_CLIENT, SIDE_SERVER, type Side } from '../../servicegraph-model/half.ts';

/** connection_type label values, by the small number kept in an edge and in series tuples. */
export const CONNECTION_UNKNOWN = 0;
export const CONNECTION_MESSAGING = 1;
export const CONNECTION_DATABASE = 2;
export const CONNECTION_VIRTUAL_NODE = 3;
export const CONNECTION_TYPE_NAMES = ['', 'messaging_system', 'database', 'virtual_node'] as const;

/** Trace ids are 16 bytes and span ids 8 in valid OTLP; longer ones get a bigger key buffer. */
export const INLINE_KEY_BYTES = 24;

/**
 * A (trace id, span id) key in place: two byte ranges of a buffer (a span's, or a half's key) and
 * their hash. One probe is refilled per lookup, so looking up a span allocates nothing.
 */
export class KeyProbe {
  buf: Uint8Array = new Uint8Array(0);
  traceStart = 0;
  traceEnd = 0;
  idStart = 0;
  idEnd = 0;
  hash = 0;

  set(buf: Uint8Array, traceStart: number, traceEnd: number, idStart: number, idEnd: number): this {
    this.buf = buf;
    this.traceStart = traceStart;
    this.traceEnd = traceEnd;
    this.idStart = idStart;
    this.idEnd = idEnd;
    this.hash = hashKey(buf, traceStart, traceEnd, idStart, idEnd);
    return this;
  }

  /** A saved key: the trace id's traceIdLength bytes, then the span id. */
  setSaved(key: Uint8Array, traceIdLength: number): this {
    return this.set(key, 0, traceIdLength, traceIdLength, key.length);
  }
}

/** A (trace id, span id) key held as a copy of its bytes: the trace id, then the span id. */
export class EdgeKey {
  keyBuf = new Uint8Array(INLINE_KEY_BYTES);
  keyLen = 0;
  traceLen = 0;
  hash = 0;

  /** Takes a copy of the probe's key bytes and its hash. */
  setKey(p: KeyProbe): void {
    const buf = p.buf;
    const traceStart = p.traceStart;
    const idStart = p.idStart;
    const traceLen = p.traceEnd - traceStart;
    const keyLen = traceLen + p.idEnd - idStart;
    if (keyLen > this.keyBuf.length) this.keyBuf = new Uint8Array(keyLen);
    else if (this.keyBuf.length > INLINE_KEY_BYTES && keyLen <= INLINE_KEY_BYTES)
      this.keyBuf = new Uint8Array(INLINE_KEY_BYTES);
    const k = this.keyBuf;
    for (let i = 0; i < traceLen; i++) k[i] = buf[traceStart + i];
    for (let i = traceLen; i < keyLen; i++) k[i] = buf[idStart + i - traceLen];
    this.keyLen = keyLen;
    this.traceLen = traceLen;
    this.hash = p.hash;
  }

  keyEquals(p: KeyProbe): boolean {
    const buf = p.buf;
    const traceStart = p.traceStart;
    const idStart = p.idStart;
    const traceLen = p.traceEnd - traceStart;
    if (this.traceLen !== traceLen || this.keyLen !== traceLen + p.idEnd - idStart) return false;
    const k = this.keyBuf;
    for (let i = 0; i < traceLen; i++) if (k[i] !== buf[traceStart + i]) return false;
    for (let i = traceLen; i < this.keyLen; i++) if (k[i] !== buf[idStart + i - traceLen]) return false;
    return true;
  }

  /** The key's span id part is empty: a root server span had no parent (Tempo's IsRoot). */
  get isRoot(): boolean {
    return this.keyLen === this.traceLen;
  }
}

export class Edge extends EdgeKey {
  /** Intrusive FIFO list of pending edges, oldest first. */
  prev: Edge | undefined = undefined;
  next: Edge | undefined = undefined;
  /** Unix seconds at or after which the edge expires. */
  expirationSec = 0;
  /** When the span that created it arrived (Unix ms; the Kafka record's timestamp on ingest). */
  arrivalMs = 0;
  /** Side of the span that created the edge. */
  firstSide: Side = 0;

  connectionType = CONNECTION_UNKNOWN;
  clientService = '';
  serverService = '';
  clientLatencySec = 0;
  serverLatencySec = 0;
  /** Producer end and consumer start in ns, split in 32-bit halves to stay exact. */
  clientEndHi = 0;
  clientEndLo = 0;
  serverStartHi = 0;
  serverStartLo = 0;
  /** Kind of the most recently added span (the expired_edges label). */
  spanKind = 0;
  failed = false;
  /** Dimension values by slot ('' = absent, which drops the label). */
  readonly dimensions: string[];
  peerNode = '';
  multiplier = 1;

  constructor(dimensionSlots: number) {
    super();
    this.dimensions = new Array<string>(dimensionSlots).fill('');
  }

  get isComplete(): boolean {
    return this.clientService !== '' && this.serverService !== '';
  }

  /** Which side a pending edge came from (Tempo's getEdgeSide): server once a server service is set. */
  get side(): Side {
    return this.serverService !== '' ? SIDE_SERVER : SIDE_CLIENT;
  }

  /** Clears every field but the key, for reuse. */
  clear(): void {
    this.prev = this.next = undefined;
    this.expirationSec = 0;
    this.arrivalMs = 0;
    this.firstSide = 0;
    this.connectionType = CONNECTION_UNKNOWN;
    this.clientService = this.serverService = '';
    this.clientLatencySec = this.serverLatencySec = 0;
    this.clientEndHi = this.clientEndLo = this.serverStartHi = this.serverStartLo = 0;
    this.spanKind = 0;
    this.failed = false;
    this.dimensions.fill('');
    this.peerNode = '';
    this.multiplier = 1;
  }
}

/** A side whose span was filtered out: its counterpart must not make an edge until expiresAtMs. */
export class DroppedSide extends EdgeKey {
  arrivalMs = 0;
  expiresAtMs = 0;
}

/**
 * Hash of a key, 32 bits at a time (murmur-style mixing): the span id and the trace id, with the
 * trace length mixed in so (trace, id) splits stay distinct. Keys are compared in full on lookup.
 */
export function hashKey(buf: Uint8Array, traceStart: number, traceEnd: number, idStart: number, idEnd: number): number {
  let h = Math.imul(0x9e3779b9 ^ (traceEnd - traceStart), 0x85ebca6b);
  h = mixBytes(h, buf, traceStart, traceEnd);
  h = mixBytes(h, buf, idStart, idEnd);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function mixBytes(h: number, buf: Uint8Array, start: number, end: number): number {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    h = Math.imul(h ^ Math.imul(w, 0xcc9e2d51), 0x1b873593);
    h = (h << 13) | (h >>> 19);
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return Math.imul(h ^ (end - start), 0x01000193);
}

/** Seconds of a Unix-ms time, truncated as Go's time.Unix() does for times after 1970. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * Whether the earlier of two halves would have expired before the later one arrived: Tempo
 * expires an edge once the clock's whole seconds reach (arrival + wait) in whole seconds. Symmetric
 * in its arguments, so the decision does not depend on which half is seen first.
 */
export function tooFarApart(aMs: number, bMs: number, waitMs: number): boolean {
  const first = Math.min(aMs, bMs);
  const last = Math.max(aMs, bMs);
  return unixSeconds(last) >= unixSeconds(first + waitMs);
}
