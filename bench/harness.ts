// Side-by-side timing: contenders run in interleaved rounds inside one process, so machine
// noise hits them alike; the best round counts (the least disturbed run).

export interface Contender {
  readonly name: string;
  /** Runs the workload once and returns how many units (spans, series...) it processed. */
  run(): number;
}

export interface Measurement {
  readonly name: string;
  /** Units per second, best round. */
  readonly rate: number;
}

export function measure(contenders: Contender[], opts: { rounds?: number; roundMs?: number } = {}): Measurement[] {
  const rounds = opts.rounds ?? 3;
  const roundMs = opts.roundMs ?? 600;
  const best = new Map<string, number>();
  for (const c of contenders) c.run(); // warm-up: JIT and caches
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      let units = 0;
      const start = process.hrtime.bigint();
      const deadline = start + BigInt(roundMs) * 1_000_000n;
      let now = start;
      while (now < deadline) {
        units += c.run();
        now = process.hrtime.bigint();
      }
      const rate = units / (Number(now - start) / 1e9);
      best.set(c.name, Math.max(best.get(c.name) ?? 0, rate));
    }
  }
  return contenders.map((c) => ({ name: c.name, rate: best.get(c.name)! }));
}

export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}K`;
  return rate.toFixed(0);
}

/** Prints a Markdown table: one row per line of cells. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}
