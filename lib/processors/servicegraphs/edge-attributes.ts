// The span and resource attributes the service-graphs processor reads, by what they mean: the
// dimension values, the database name, the database server's name and the peer node. Tempo reads
// them in modules/generator/processor/servicegraphs/servicegraphs.go (FindAttributeValue, resource
// first, for dimensions and database attributes; span attributes only for peer attributes).

import type { ServiceGraphsConfig } from '../../config/types.ts';
import type { ResourceView, SpanView } from '../../decode/span-view.ts';
import type { StringSource } from '../../decode/utf8.ts';
import { ResourceThenSpan } from './attribute-lookup.ts';
import type { DimensionPlan } from './dimensions.ts';

/** A range of key indexes in the lookup. */
interface KeyRange {
  readonly first: number;
  readonly end: number;
}

export class EdgeAttributes {
  private readonly lookup: ResourceThenSpan;
  private readonly databaseNames: KeyRange;
  private readonly peers: KeyRange;
  private readonly peerService: number;
  private readonly serverAddress: number;
  private readonly networkPeerAddress: number;
  private readonly networkPeerPort: number;

  constructor(plan: DimensionPlan, cfg: ServiceGraphsConfig, strings: StringSource) {
    const keys: string[] = [...plan.attributes];
    const range = (names: readonly string[]): KeyRange => {
      const first = keys.length;
      keys.push(...names);
      return { first, end: keys.length };
    };
    const key = (name: string): number => keys.push(name) - 1;
    this.databaseNames = range(cfg.databaseNameAttributes);
    this.peerService = key('peer.service');
    this.serverAddress = key('server.address');
    this.networkPeerAddress = key('network.peer.address');
    this.networkPeerPort = key('network.peer.port');
    this.peers = range(cfg.peerAttributes);
    this.lookup = new ResourceThenSpan(keys, strings);
  }

  setResource(res: ResourceView): void {
    this.lookup.setResource(res);
  }

  setSpan(span: SpanView): void {
    this.lookup.setSpan(span);
  }

  /** Value of the plan's d-th dimension attribute (resource first), or undefined. */
  dimension(d: number): string | undefined {
    return this.lookup.get(d);
  }

  /** The first database name attribute present (resource first): the span is a database call. */
  databaseName(): string | undefined {
    let name: string | undefined;
    for (let k = this.databaseNames.first; k < this.databaseNames.end && name === undefined; k++)
      name = this.lookup.get(k);
    return name;
  }

  /**
   * The database server's node name, in Tempo's order: peer.service, server.address,
   * network.peer.address (with :network.peer.port), else the database name unless empty.
   */
  databaseServer(databaseName: string): string | undefined {
    const lookup = this.lookup;
    const server = lookup.get(this.peerService) ?? lookup.get(this.serverAddress);
    if (server !== undefined) return server;
    const host = lookup.get(this.networkPeerAddress);
    if (host !== undefined) {
      const port = lookup.get(this.networkPeerPort);
      return port === undefined ? host : `${host}:${port}`;
    }
    return databaseName !== '' ? databaseName : undefined;
  }

  /** The first peer attribute among the span's own attributes: who the other side is. */
  peerNode(): string | undefined {
    for (let k = this.peers.first; k < this.peers.end; k++) {
      const v = this.lookup.spanValue(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}
