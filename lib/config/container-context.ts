// A Lambda container's context (config, clients, the flusher's registries): built on the first
// invocation and kept while the container stays warm. A failed build is retried by the next
// invocation; when the config source reports changed process-level settings ('restart'), the
// context is built again as a cold start would build it.

import type { RefreshOutcome } from './config-source.ts';

/** Gives the context for each invocation; `refresh` re-reads the config when due (before the invocation's work). */
export function containerContext<T>(
  build: () => Promise<T>,
  refresh: (built: T) => Promise<RefreshOutcome>,
): () => Promise<T> {
  let built: Promise<T> | undefined;
  return async () => {
    built ??= build();
    built.catch(() => (built = undefined)); // a failed start is retried by the next invocation
    const current = await built;
    if ((await refresh(current)) !== 'restart') return current;
    built = build();
    return built;
  };
}
