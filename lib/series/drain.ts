// Drain clustering of span names into templates, as Tempo's span-name sanitizer trains it
// (Tempo: pkg/drain/drain.go, log_cluster.go, config.go DefaultConfig). A name is split into
// tokens; names with the same token count walk a prefix tree (data-like tokens and crowded nodes
// go through the `<_>` wildcard child, which the walk also prefers); at the leaf the most similar
// cluster (share of equal tokens, ties to more wildcards) takes the name if the similarity is at
// least 0.3, and every differing position becomes `<_>`. Until a second name joins, a cluster's
// template is the name itself.
//
// Clusters live in a bounded cache of 100,000 (least recently trained evicted first; Tempo's otter
// cache picks victims by frequency too, which only matters past that bound). prune() drops tree
// references to evicted clusters, as Tempo does every 5 minutes.

import { END_TOKEN, joinTokens, tokenIsLikelyData, tokenize } from './drain-tokenizer.ts';

export const PARAM = '<_>';
const SIMILARITY_THRESHOLD = 0.3;
const MAX_CHILDREN = 1000;
const MIN_TOKENS = 3;
const MAX_TOKENS = 80;
const MAX_CLUSTERS = 100_000;
/** Tempo's LogClusterDepth (30) minus 2. */
const MAX_NODE_DEPTH = 28;
/**
 * Not in Tempo: clusters one leaf may hold. Names made only of data-like tokens (`%41%42...`)
 * share a leaf without matching each other, and every name scans its leaf, so without a bound a
 * stream of such names costs quadratic time (Tempo's own span-name fixtures never put more than one
 * cluster in a leaf). A name that would open a cluster in a full leaf is
 * skipped (kept as it is), like Tempo's other limits.
 */
export const MAX_CLUSTERS_PER_LEAF = 100;

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  clusterIds: number[];
}

interface Cluster {
  readonly id: number;
  readonly tokens: string[];
  size: number;
  template?: string;
}

/** Why a name was not trained: Tempo's drain_lines_skipped_total reasons, plus leaf_full (above). */
export type DrainSkip = 'too_few_tokens' | 'too_many_tokens' | 'leaf_full';

export interface DrainCounters {
  patternsDetected: number;
  patternsEvicted: number;
  linesSkipped: Record<DrainSkip, number>;
}

export interface DrainSnapshot {
  readonly nextId: number;
  /** [id, tokens, size], least recently trained first. */
  readonly clusters: readonly (readonly [number, readonly string[], number])[];
  readonly tree: SnapshotNode;
}
type SnapshotNode = readonly [readonly number[], readonly (readonly [string, SnapshotNode])[]];

export class Drain {
  private nextId = 0;
  private root: TreeNode = newNode();
  /** Insertion order = recency of training (a trained cluster is re-inserted at the end). */
  private readonly clusters = new Map<number, Cluster>();
  readonly counters: DrainCounters = {
    patternsDetected: 0,
    patternsEvicted: 0,
    linesSkipped: { too_few_tokens: 0, too_many_tokens: 0, leaf_full: 0 },
  };

  /** Trains on one name; returns its current template, or undefined when the name is skipped. */
  train(name: string): string | undefined {
    const tokens = tokenize(name);
    if (tokens.length < MIN_TOKENS) {
      this.counters.linesSkipped.too_few_tokens++;
      return undefined;
    }
    if (tokens.length > MAX_TOKENS) {
      this.counters.linesSkipped.too_many_tokens++;
      return undefined;
    }
    let cluster = this.findMatch(tokens);
    if (cluster === undefined) {
      cluster = { id: this.nextId + 1, tokens: tokens.slice(), size: 1 };
      if (!this.addToTree(cluster)) {
        this.counters.linesSkipped.leaf_full++;
        return undefined;
      }
      this.nextId++;
      this.counters.patternsDetected++;
    } else {
      absorb(cluster, tokens);
      this.clusters.delete(cluster.id);
    }
    this.clusters.set(cluster.id, cluster);
    if (this.clusters.size > MAX_CLUSTERS) {
      const oldest = this.clusters.keys().next().value as number;
      this.clusters.delete(oldest);
      this.counters.patternsEvicted++;
    }
    return (cluster.template ??= joinTokens(cluster.tokens));
  }

  get clusterCount(): number {
    return this.clusters.size;
  }

  /** Removes tree branches that only lead to evicted clusters. */
  prune(): void {
    this.pruneNode(this.root);
  }

  snapshot(): DrainSnapshot {
    return {
      nextId: this.nextId,
      clusters: [...this.clusters.values()].map((c) => [c.id, c.tokens, c.size] as const),
      tree: snapshotNode(this.root),
    };
  }

  static restore(s: DrainSnapshot): Drain {
    const d = new Drain();
    d.nextId = s.nextId;
    for (const [id, tokens, size] of s.clusters) d.clusters.set(id, { id, tokens: [...tokens], size });
    d.root = restoreNode(s.tree);
    return d;
  }

  private findMatch(tokens: readonly string[]): Cluster | undefined {
    let node = this.root.children.get(String(tokens.length));
    if (node === undefined) return undefined;
    let depth = 1;
    for (const token of tokens) {
      if (depth >= MAX_NODE_DEPTH || depth === tokens.length) break;
      // Tempo tries the wildcard child first, the exact token only without one.
      node = node.children.get(PARAM) ?? node.children.get(token);
      if (node === undefined) return undefined;
      depth++;
    }
    return this.bestCluster(node.clusterIds, tokens);
  }

  private bestCluster(ids: readonly number[], tokens: readonly string[]): Cluster | undefined {
    let best: Cluster | undefined;
    let bestSimilarity = -1;
    let bestParams = -1;
    for (const id of ids) {
      const c = this.clusters.get(id); // evicted clusters are skipped until prune() removes the id
      if (c === undefined) continue;
      let same = 0;
      let params = 0;
      for (let i = 0; i < c.tokens.length; i++) {
        if (c.tokens[i] === PARAM) params++;
        else if (c.tokens[i] === tokens[i]) same++;
      }
      const similarity = same / c.tokens.length;
      if (similarity > bestSimilarity || (similarity === bestSimilarity && params > bestParams)) {
        best = c;
        bestSimilarity = similarity;
        bestParams = params;
      }
    }
    return bestSimilarity < SIMILARITY_THRESHOLD ? undefined : best;
  }

  /** false when the cluster's leaf is full (the cluster is not added). */
  private addToTree(cluster: Cluster): boolean {
    const count = String(cluster.tokens.length);
    let node = this.root.children.get(count);
    if (node === undefined) this.root.children.set(count, (node = newNode()));
    const stopAt = Math.min(MAX_NODE_DEPTH, cluster.tokens.length);
    for (let depth = 1, i = 0; ; depth++, i++) {
      if (depth >= stopAt) {
        if (node.clusterIds.length >= MAX_CLUSTERS_PER_LEAF) {
          node.clusterIds = node.clusterIds.filter((id) => this.clusters.has(id));
          if (node.clusterIds.length >= MAX_CLUSTERS_PER_LEAF) return false;
        }
        node.clusterIds.push(cluster.id);
        return true;
      }
      let token = cluster.tokens[i];
      if (tokenIsLikelyData(token)) token = PARAM;
      if (node.children.size + 1 >= MAX_CHILDREN) token = PARAM;
      let next = node.children.get(token);
      if (next === undefined) node.children.set(token, (next = newNode()));
      node = next;
    }
  }

  private pruneNode(node: TreeNode): number {
    for (const [key, child] of node.children) if (this.pruneNode(child) === 0) node.children.delete(key);
    node.clusterIds = node.clusterIds.filter((id) => this.clusters.has(id));
    return node.children.size + node.clusterIds.length;
  }
}

function newNode(): TreeNode {
  return { children: new Map(), clusterIds: [] };
}

/** Every position where the name differs from the cluster becomes a wildcard. */
function absorb(cluster: Cluster, tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== cluster.tokens[i] && cluster.tokens[i] !== PARAM) {
      cluster.tokens[i] = PARAM;
      cluster.template = undefined;
    }
  }
  cluster.size++;
}

function snapshotNode(n: TreeNode): SnapshotNode {
  return [n.clusterIds.slice(), [...n.children].map(([k, c]) => [k, snapshotNode(c)] as const)];
}

function restoreNode(s: SnapshotNode): TreeNode {
  const [ids, children] = s;
  return { clusterIds: [...ids], children: new Map(children.map(([k, c]) => [k, restoreNode(c)])) };
}

export { END_TOKEN };
