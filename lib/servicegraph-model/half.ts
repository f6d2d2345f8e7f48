// The unit of service-graph work that crosses tiers: an edge seen from one side only, as an ingest
// batch hands it to the flusher (unpaired halves go into the delta; the flusher pairs them across
// batches and partitions), and the side of a span the filter policies removed. A half carries what
// its span(s) told the edge, so pairing two halves gives the same edge, and the same metrics, as
// pairing the two spans in one batch would. Plain data: the processors, the delta codec and the
// flusher's state all speak it, and it depends on none of them.

/** Which side of a request a span is: the client (CLIENT/PRODUCER) or the server (SERVER/CONSUMER). */
export type Side = 0 | 1;
export const SIDE_CLIENT: Side = 0;
export const SIDE_SERVER: Side = 1;

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
  /** Dimension values by slot of the tenant's dimension plan ('' = absent). */
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
