// Mutates valid records (bit flips, byte changes, truncation, insertion, deletion, splices) and
// feeds them through the whole ingest path: no mutation may throw out of the batch, and every
// record must end up either decoded or counted as bad.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { SpanBatch } from '../../lib/pipeline/span-batch.ts';
import { encodePushBytesRequest, encodeTempoTrace, encodeTracesData } from '../../testing/build.ts';
import { randomInt, randomTrace, seededRng, type Rng } from '../../testing/random-trace.ts';

const MUTATIONS = 12_000;

function mutate(rng: Rng, src: Uint8Array): Uint8Array {
  let b = Uint8Array.from(src);
  const rounds = 1 + randomInt(rng, 4);
  for (let r = 0; r < rounds; r++) {
    const at = randomInt(rng, Math.max(1, b.length));
    switch (randomInt(rng, 6)) {
      case 0:
        b[at] ^= 1 << randomInt(rng, 8);
        break;
      case 1:
        b[at] = randomInt(rng, 256);
        break;
      case 2:
        b = b.subarray(0, at);
        break;
      case 3: {
        const ins = Uint8Array.from({ length: 1 + randomInt(rng, 8) }, () => randomInt(rng, 256));
        b = Uint8Array.from([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
        break;
      }
      case 4:
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + randomInt(rng, 8))]);
        break;
      default:
        // a length prefix turned huge or a varint made endless
        b[at] = 0xff;
        if (at + 1 < b.length) b[at + 1] = 0xff;
    }
  }
  return b;
}

for (const codec of ['push-bytes', 'otlp'] as const) {
  test(`fuzz: ${MUTATIONS} mutated ${codec} records never escape the batch`, () => {
    const config = parseConfig(`
metrics_generator:
  codec: ${codec}
  default_tenant: fuzz
  processor:
    span_metrics:
      dimensions: [http.method, region, tags]
      enable_target_info: true
      filter_policies: [{exclude: {match_type: regex, attributes: [{key: span.region, value: "^eu"}]}}]
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics]
      generate_native_histograms: both
`);
    const rng = seededRng(codec === 'otlp' ? 11 : 12);
    const seeds: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      const rs = randomTrace(rng, { spans: 1 + randomInt(rng, 12), attrsPerSpan: randomInt(rng, 9), services: 3 });
      seeds.push(
        codec === 'otlp'
          ? encodeTracesData(...rs)
          : encodePushBytesRequest([encodeTempoTrace(...rs), encodeTempoTrace(...rs)]),
      );
    }
    const batch = new SpanBatch(config, { applySlack: false, log: silentLogger });
    const key = new TextEncoder().encode('fuzz');
    for (let i = 0; i < MUTATIONS; i++) {
      const value = mutate(rng, seeds[i % seeds.length]);
      batch.addRecord({ topic: 'fuzz', partition: 0, offset: i, timestampMs: 1, key, value });
      if (i % 500 === 499) batch.drain();
    }
    batch.drain();
    const s = batch.stats;
    assert.equal(s.records, MUTATIONS);
    // mutations must actually hit both outcomes, or the test proves nothing
    assert.ok(s.totalBadRecords() > MUTATIONS / 10, `bad records: ${s.totalBadRecords()}`);
    assert.ok(s.traces > MUTATIONS / 10, `decoded traces: ${s.traces}`);
  });
}
