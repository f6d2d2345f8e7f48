// The one error a delta decoder throws for bytes it cannot trust (corrupt, truncated, unknown
// version, or values the registry would reject), so callers can tell "this item is bad" apart
// from a bug or a transient fault.

export class DeltaFormatError extends Error {
  constructor(message: string) {
    super(`delta: ${message}`);
    this.name = 'DeltaFormatError';
  }
}
