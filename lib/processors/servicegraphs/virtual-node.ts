// What an edge that waited `wait` in vain becomes (Tempo's onExpire in
// modules/generator/processor/servicegraphs/servicegraphs.go): a root server span
// was called from outside, so a virtual client (its peer attribute, or "user") stands in; a client
// whose peer attribute names the uninstrumented callee gets that as a virtual server. Anything
// else expires without metrics. Used by the edge settler of both pairing tiers.

import { CONNECTION_VIRTUAL_NODE, type Edge } from './edge.ts';

/** Turns an expired edge into a virtual-node edge in place; false when it yields no metrics. */
export function resolveVirtualNode(e: Edge, virtualNodeSlot: number): boolean {
  e.connectionType = CONNECTION_VIRTUAL_NODE;
  if (e.clientService === '') {
    if (!e.isRoot) return false;
    e.clientService = e.peerNode !== '' ? e.peerNode : 'user';
    if (virtualNodeSlot >= 0) e.dimensions[virtualNodeSlot] = 'client';
    return true;
  }
  if (e.serverService === '' && e.peerNode !== '') {
    e.serverService = e.peerNode;
    if (virtualNodeSlot >= 0) e.dimensions[virtualNodeSlot] = 'server';
    return true;
  }
  return false;
}
