// Tempo's `skip_stale_backlog_on_startup` for local mode: before joining, every partition whose
// committed offset (or lack of one) lies before the first record of the last
// `metrics_ingestion_time_range_slack` is moved forward to that record, or to the end of the
// partition when nothing is that recent. Those older spans would be discarded by the ingestion
// slack anyway; skipping them saves reading them. Best effort, as in Tempo: a failed lookup leaves
// the committed offsets alone. (Tempo: modules/generator/generator_kafka.go)

export interface PartitionOffset {
  readonly partition: number;
  /** Decimal offset; "-1" when the group has none (committed) or no record is that recent (by time). */
  readonly offset: string;
}

/** The partitions to move and where to: only ever forward. */
export function staleBacklogMoves(
  committed: readonly PartitionOffset[],
  firstRecent: readonly PartitionOffset[],
  ends: readonly PartitionOffset[],
): PartitionOffset[] {
  const committedAt = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  const endAt = new Map(ends.map((e) => [e.partition, BigInt(e.offset)]));
  const moves: PartitionOffset[] = [];
  for (const { partition, offset } of firstRecent) {
    const target = BigInt(offset) >= 0n ? BigInt(offset) : endAt.get(partition);
    if (target === undefined) continue;
    const from = committedAt.get(partition) ?? -1n;
    if (from < target) moves.push({ partition, offset: target.toString() });
  }
  return moves;
}
