// Tempo's self-monitoring counters of the service-graphs processor, per tenant (Tempo:
// modules/generator/processor/servicegraphs/servicegraphs.go). Both pairing tiers count into them:
// the ingest per batch, the flusher cumulatively in its saved state.

export class ServiceGraphsCounters {
  /** `..._service_graphs_edges`: edges created (completed at once or stored). */
  edges = 0;
  /** `..._service_graphs_expired_edges{unmatched_span_kind}`: expired without producing metrics. */
  readonly expiredEdges = new Map<string, number>();
  /** `..._service_graphs_dropped_spans`: new edges refused because max_items edges were pending. */
  droppedSpans = 0;
  /** `..._service_graphs_dropped_edges_total`: edges dropped because the other side was filtered out. */
  droppedEdges = 0;

  expired(kind: string): number {
    return this.expiredEdges.get(kind) ?? 0;
  }

  /** Counts one edge that expired without metrics, by the kind of its last span. */
  countExpired(kind: string): void {
    this.expiredEdges.set(kind, this.expired(kind) + 1);
  }

  /** Adds another instance's counts to these. */
  add(other: ServiceGraphsCounters): void {
    this.edges += other.edges;
    this.droppedSpans += other.droppedSpans;
    this.droppedEdges += other.droppedEdges;
    for (const [kind, n] of other.expiredEdges) this.expiredEdges.set(kind, this.expired(kind) + n);
  }
}
