// Specs shared by the global processor blocks and the per-tenant overrides.

import { fail, indexPath, joinPath } from './errors.ts';
import { isValidLabelName } from './label-name.ts';
import { float, listOf, object, refine, string } from './schema.ts';
import type { Spec } from './schema.ts';
import type { DimensionMapping } from './types.ts';

/** Bounds on lists whose length multiplies series or per-span work (Tempo sets none; these are far above real use). */
export const MAX_HISTOGRAM_BUCKETS = 200;
export const MAX_DIMENSIONS = 100;
export const MAX_FILTER_POLICIES = 100;
export const MAX_POLICY_ATTRIBUTES = 100;

/**
 * Histogram bucket bounds in seconds. Per-tenant overrides must be strictly increasing (Tempo
 * validates them: modules/generator/validation ValidateHistogramBuckets); the global block's are
 * sorted, as Tempo's registry sorts them (modules/generator/registry/histogram.go). A bound given
 * twice is refused either way: it would make two series with the same `le`.
 */
export function histogramBuckets(order: 'strict' | 'sorted' = 'strict'): Spec<number[]> {
  const list = listOf(float(), MAX_HISTOGRAM_BUCKETS);
  return {
    type: order === 'strict' ? 'list of increasing numbers' : 'list of numbers',
    parse(node, path) {
      const written = list.parse(node, path);
      const bounds = order === 'strict' ? written : [...written].sort((a, b) => a - b);
      for (let i = 1; i < bounds.length; i++) {
        if (bounds[i] > bounds[i - 1]) continue;
        if (order === 'strict') fail(indexPath(path, i), 'must be greater than the previous bucket');
        fail(indexPath(path, written.lastIndexOf(bounds[i])), `repeats the bucket ${bounds[i]}`);
      }
      return bounds;
    },
  };
}

/** Attribute names that become label names: an empty one could only make an empty label name. */
export function dimensionList(): Spec<string[]> {
  return listOf(
    refine(string(), (s) => (s === '' ? 'must not be empty' : undefined)),
    MAX_DIMENSIONS,
  );
}

export function labelNameProblem(s: string): string | undefined {
  return isValidLabelName(s) ? undefined : `"${s}" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)`;
}

export function labelName(): Spec<string> {
  return refine(string(), labelNameProblem);
}

const mappingShape = object({ name: string(), source_labels: listOf(string(), MAX_DIMENSIONS), join: string() });

/** `dimension_mappings:` entries `{name, source_labels, join}` (Tempo: pkg/sharedconfig). */
export function dimensionMappings(): Spec<DimensionMapping[]> {
  const list = listOf(mappingShape, MAX_DIMENSIONS);
  return {
    type: 'list of dimension mappings',
    parse(node, path) {
      return list.parse(node, path).map((m, i) => {
        const p = indexPath(path, i);
        if (m.name === undefined || m.name === '') fail(joinPath(p, 'name'), 'must not be empty');
        if (m.source_labels === undefined || m.source_labels.length === 0)
          fail(joinPath(p, 'source_labels'), 'must not be empty');
        return { name: m.name, sourceLabels: m.source_labels, join: m.join ?? '' };
      });
    },
  };
}
