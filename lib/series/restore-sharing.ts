// What series restored from a snapshot share again, as series built by folding do: one Label
// object per distinct (name, value) -- a folded delta hands all its label sets shared labels, while
// a parsed snapshot holds a fresh object and string for each -- and one bounds array per distinct
// histogram layout (memory, and series-render.ts's `le` cache). Lives for one restore only.

import type { Label, Labels } from './types.ts';

export class RestoreSharing {
  private readonly labelsByName = new Map<string, Map<string, Label>>();
  private readonly bounds = new Map<string, readonly number[]>();

  /** A copy of labels made of shared Label objects. */
  labels(labels: Labels): Labels {
    const out: Label[] = new Array<Label>(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const { name, value } = labels[i];
      let byValue = this.labelsByName.get(name);
      if (byValue === undefined) this.labelsByName.set(name, (byValue = new Map()));
      let label = byValue.get(value);
      if (label === undefined) byValue.set(value, (label = { name, value }));
      out[i] = label;
    }
    return out;
  }

  /** The shared array equal to bounds (bounds itself the first time). */
  boundsOf(bounds: readonly number[]): readonly number[] {
    const id = bounds.join(',');
    const shared = this.bounds.get(id);
    if (shared !== undefined) return shared;
    this.bounds.set(id, bounds);
    return bounds;
  }
}
