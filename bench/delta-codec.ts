// Group: per-batch delta codec. Bytes per touched series is what DynamoDB bills (per started KB
// of each delta item), so it comes first; encode/decode speed is Lambda CPU on every batch.

import { DEFAULT_ENCODE_OPTIONS, encodeDelta, decodeDelta, type EncodeOptions } from '../lib/delta/index.ts';
import type { DeltaContent } from '../lib/delta/types.ts';
import { jsonSize, serviceGraphHalvesDelta, spanMetricsDelta } from '../test/delta/fixtures.ts';
import { measure, printTable } from './harness.ts';

const CODECS: { name: string; options: EncodeOptions }[] = [
  { name: 'none', options: { compression: 'none' } },
  { name: 'deflate-raw 1', options: { compression: 'deflate-raw', level: 1 } },
  { name: 'deflate-raw 6', options: { compression: 'deflate-raw', level: 6 } },
  { name: 'deflate-raw 9', options: { compression: 'deflate-raw', level: 9 } },
  { name: 'brotli 4', options: { compression: 'brotli', level: 4 } },
  { name: 'brotli 5', options: { compression: 'brotli', level: 5 } },
  { name: 'brotli 6', options: { compression: 'brotli', level: 6 } },
];

/** Label tuples per delta; each touches 3 series (calls, latency histogram, size). */
const SIZES = [100, 1000, 10_000];
/** The size whose speed is measured. */
const SPEED_SIZE = 1000;

function seriesCount(d: DeltaContent): number {
  let n = 0;
  for (const t of d.tenants) n += t.increments.length;
  return n;
}

export function benchDeltaCodec(): void {
  console.log('\n## delta codec (span metrics, 14-bucket classic histograms with exemplars)\n');
  const deltas = SIZES.map((series) => spanMetricsDelta({ series, mode: 'classic' }));
  const counts = deltas.map(seriesCount);
  const speedDelta = deltas[SIZES.indexOf(SPEED_SIZE)];
  const payloadBytes = encodeDelta(speedDelta, { compression: 'none' }).length;
  const rows: string[][] = [['naive JSON', ...deltas.map((d, i) => (jsonSize(d) / counts[i]).toFixed(1)), '-', '-']];
  for (const codec of CODECS) {
    const sizes = deltas.map((d, i) => (encodeDelta(d, codec.options).length / counts[i]).toFixed(1));
    const encoded = encodeDelta(speedDelta, codec.options);
    const [enc, dec] = measure(
      [
        {
          name: 'encode',
          run: () => {
            encodeDelta(speedDelta, codec.options);
            return payloadBytes;
          },
        },
        {
          name: 'decode',
          run: () => {
            decodeDelta(encoded);
            return payloadBytes;
          },
        },
      ],
      { rounds: 3, roundMs: 300 },
    );
    const isDefault =
      codec.options.compression === DEFAULT_ENCODE_OPTIONS.compression &&
      codec.options.level === DEFAULT_ENCODE_OPTIONS.level;
    rows.push([
      isDefault ? `${codec.name} (default)` : codec.name,
      ...sizes,
      (enc.rate / 1e6).toFixed(0),
      (dec.rate / 1e6).toFixed(0),
    ]);
  }
  printTable(
    [
      'codec',
      ...SIZES.map((_s, i) => `B/series @${counts[i]}`),
      `encode MB/s @${SPEED_SIZE * 3}`,
      `decode MB/s @${SPEED_SIZE * 3}`,
    ],
    rows,
  );
  console.log(`\nMB/s count the uncompressed payload (${payloadBytes} bytes at ${SPEED_SIZE * 3} series).`);
  benchHalvesCodec();
}

/** Halves per delta whose speed is measured. */
const HALVES = 2000;

/** Service-graph halves and dropped sides (what a service-graph batch leaves unpaired), uncompressed. */
function benchHalvesCodec(): void {
  const delta = serviceGraphHalvesDelta(HALVES);
  const options: EncodeOptions = { compression: 'none' };
  const encoded = encodeDelta(delta, options);
  const [enc, dec] = measure(
    [
      {
        name: 'encode',
        run: () => {
          encodeDelta(delta, options);
          return encoded.length;
        },
      },
      {
        name: 'decode',
        run: () => {
          decodeDelta(encoded);
          return encoded.length;
        },
      },
    ],
    { rounds: 3, roundMs: 300 },
  );
  console.log('');
  printTable(
    ['halves', 'B/half', 'encode MB/s', 'decode MB/s'],
    [[`${HALVES}`, (encoded.length / HALVES).toFixed(1), (enc.rate / 1e6).toFixed(0), (dec.rate / 1e6).toFixed(0)]],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchDeltaCodec();
