import { parseConfig } from '/work/main/lib/config/index.ts';
import { silentLogger } from '/work/main/lib/log/logger.ts';
import { SpanBatch } from '/work/main/lib/pipeline/span-batch.ts';
import { encodePushBytesRequest, encodeTempoTrace } from '/work/main/test/fixtures/build.ts';
import { randomTrace, seededRng } from '/work/main/test/fixtures/random-trace.ts';
const rng = seededRng(1);
const key = new TextEncoder().encode('bench');
const records = [];
for (let r = 0; r < 50; r++) {
  const traces = [];
  for (let n = 0; n < 200; n += 10) traces.push(encodeTempoTrace(...randomTrace(rng, { spans: 10, attrsPerSpan: 8, services: 4 })));
  records.push({ topic: 'b', partition: 0, offset: r, timestampMs: 0, key, value: encodePushBytesRequest(traces) });
}
const config = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');
const batch = new SpanBatch(config, { applySlack: false, log: silentLogger });
const t0 = Date.now(); let spans = 0;
while (Date.now() - t0 < 5000) { for (const r of records) batch.addRecord(r); batch.drain(); spans += 10000; }
console.log((spans / ((Date.now() - t0) / 1000) / 1000).toFixed(0), 'K spans/s');
