// The top-level blocks of a tempo.yaml this generator reads; every other block belongs to
// Tempo's other components and is ignored.

export const READ_BLOCKS: readonly string[] = ['metrics_generator', 'overrides'];
