// Where service-graph dimensions are stored in an edge and which labels they become (Tempo:
// modules/generator/processor/servicegraphs/servicegraphs.go: upsertDimensions, onComplete, onExpire).
// Tempo keeps an edge's dimensions in a map keyed by attribute name, or by
// `client_<name>` / `server_<name>` with enable_client_server_prefix; enable_virtual_node_label
// appends a `virtual_node` dimension that expiry writes. Here each distinct map key is a slot.

import type { ServiceGraphsConfig } from '../../config/types.ts';
import { sanitizeLabelName } from '../../config/index.ts';

export const VIRTUAL_NODE = 'virtual_node';

export interface DimensionPlan {
  /** Number of value slots in an edge. */
  readonly slots: number;
  /** Attribute keys looked up on each span, resource first, then span. */
  readonly attributes: readonly string[];
  /** For each attribute: the slot a client-side span writes. */
  readonly clientSlot: readonly number[];
  /** For each attribute: the slot a server-side span writes. */
  readonly serverSlot: readonly number[];
  /** Slot of the virtual_node value expiry writes; -1 when the label is off. */
  readonly virtualNodeSlot: number;
  /** The labels after client, server and connection_type, in order: name and slot. */
  readonly labels: readonly { readonly name: string; readonly slot: number }[];
}

export function dimensionPlan(cfg: ServiceGraphsConfig): DimensionPlan {
  const dims = cfg.enableVirtualNodeLabel ? [...cfg.dimensions, VIRTUAL_NODE] : [...cfg.dimensions];
  const slotOf = new Map<string, number>();
  const slot = (key: string): number => {
    let s = slotOf.get(key);
    if (s === undefined) slotOf.set(key, (s = slotOf.size));
    return s;
  };
  const prefix = cfg.enableClientServerPrefix;
  const clientSlot = dims.map((d) => slot(prefix ? 'client_' + d : d));
  const serverSlot = dims.map((d) => slot(prefix ? 'server_' + d : d));
  const virtualNodeSlot = cfg.enableVirtualNodeLabel ? slot(VIRTUAL_NODE) : -1;
  const labels: { name: string; slot: number }[] = [];
  for (const d of dims) {
    if (!prefix) labels.push({ name: sanitizeLabelName(d), slot: slot(d) });
    else if (cfg.enableVirtualNodeLabel && d === VIRTUAL_NODE)
      labels.push({ name: VIRTUAL_NODE, slot: virtualNodeSlot });
    else {
      labels.push({ name: sanitizeLabelName('client_' + d), slot: slot('client_' + d) });
      labels.push({ name: sanitizeLabelName('server_' + d), slot: slot('server_' + d) });
    }
  }
  return { slots: slotOf.size, attributes: dims, clientSlot, serverSlot, virtualNodeSlot, labels };
}
