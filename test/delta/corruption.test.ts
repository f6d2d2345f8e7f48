import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DELTA_FORMAT_VERSION,
  DeltaFormatError,
  decodeDelta,
  encodeDelta,
  type CompressionName,
  type DeltaContent,
} from '../../lib/delta/index.ts';
import { crc32 } from '../../lib/delta/crc32.ts';
import { decodePayload } from '../../lib/delta/payload-decode.ts';
import { encodePayload } from '../../lib/delta/payload-encode.ts';
import { ByteWriter } from '../../lib/delta/writer.ts';
import type { SeriesIncrement } from '../../lib/series/types.ts';
import { classicPart, deltaOf, labels, nativePart } from './fixtures.ts';

/** A small delta touching every part of the format. */
function smallDelta(): DeltaContent {
  const a = labels({ service: 'api', span_name: 'GET /ü' });
  const b = labels({ service: 'db', span_name: 'query \ud800' });
  const incs: SeriesIncrement[] = [
    { type: 'counter', name: 'calls', labels: a, value: 3 },
    {
      type: 'histogram',
      name: 'latency',
      labels: a,
      classic: classicPart([0.1, 1], [1, 0, 2.5], 0.123456789, { 2: { traceId: 'ab12cd34ab12cd34', value: 3.3 } }),
    },
    { type: 'counter', name: 'size', labels: a, value: 1.5 },
    {
      type: 'histogram',
      name: 'latency',
      labels: b,
      native: nativePart(
        2,
        [
          [3, 1],
          [-1, 2],
        ],
        [[4, 1]],
        { zeroCount: 1, zeroThreshold: 0.5, sum: NaN, exemplar: { traceId: 'ffee', value: -0 } },
      ),
      classic: classicPart([0.1, 1], [0, 0, 4], 1e300),
    },
  ];
  return deltaOf(
    {
      t1: incs,
      t2: [
        { type: 'gauge', name: 'info', labels: b, value: 1, mode: 'setIfAbsent' },
        { type: 'gauge', name: 'calls', labels: a, value: -7, mode: 'set' },
      ],
    },
    { badRecords: { 'bad-tenant': 2 }, spansDiscarded: { 'x|span-metrics': 1 } },
  );
}

function bodyOf(content: DeltaContent): Uint8Array {
  const w = new ByteWriter(16);
  encodePayload(content, w);
  return w.bytes().slice();
}

/** An uncompressed delta around a (possibly hand-made) body, with a valid CRC. */
function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 6);
  out[0] = DELTA_FORMAT_VERSION;
  out[1] = 0;
  out.set(body, 2);
  new DataView(out.buffer).setUint32(body.length + 2, crc32(body), true);
  return out;
}

function expectFormatError(fn: () => unknown, context: string): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (!(err instanceof DeltaFormatError)) assert.fail(`${context}: ${String(err)} is not a DeltaFormatError`);
    return true;
  }
}

describe('corrupted and truncated deltas', () => {
  const content = smallDelta();

  for (const compression of ['none', 'deflate-raw', 'brotli'] as CompressionName[]) {
    test(`${compression}: every single-byte change and every truncation fails cleanly`, { timeout: 120_000 }, () => {
      const bytes = encodeDelta(content, { compression });
      // every value at every position for the raw format; a spread of bit flips through the decompressors
      const masks =
        compression === 'none' ? Array.from({ length: 255 }, (_, i) => i + 1) : [0x01, 0x02, 0x10, 0x80, 0x55, 0xff];
      let rejected = 0;
      let total = 0;
      for (let pos = 0; pos < bytes.length; pos++) {
        for (const mask of masks) {
          const bad = bytes.slice();
          bad[pos] ^= mask;
          total++;
          const context = `${compression} byte ${pos} ^ ${mask}`;
          let decoded: DeltaContent | undefined;
          if (expectFormatError(() => (decoded = decodeDelta(bad)), context)) rejected++;
          // a change the decompressor ignores (padding bits) must yield the original content
          else assert.deepStrictEqual(decoded, content, context);
        }
      }
      assert.ok(rejected >= total - 2 * bytes.length, `${rejected} of ${total} rejected`);
      for (let n = 0; n < bytes.length; n++) {
        assert.ok(
          expectFormatError(() => decodeDelta(bytes.subarray(0, n)), `${compression} truncated to ${n}`),
          `truncated to ${n} decoded`,
        );
      }
    });
  }

  test('parts joined out of order, or with a part missing, are rejected', () => {
    const bytes = encodeDelta(content, { compression: 'none' });
    const half = bytes.length >> 1;
    const swapped = new Uint8Array([...bytes.subarray(half), ...bytes.subarray(0, half)]);
    assert.throws(() => decodeDelta(swapped), DeltaFormatError);
    const missing = new Uint8Array([...bytes.subarray(0, 20), ...bytes.subarray(40)]);
    assert.throws(() => decodeDelta(missing), DeltaFormatError);
  });
});

describe('the payload decoder without a checksum', () => {
  // The CRC catches corruption first; the decoder must still never return garbage on its own:
  // every payload it accepts is canonical, so encoding the result reproduces the very bytes.
  test('every single-byte change and truncation either throws DeltaFormatError or re-encodes identically', {
    timeout: 120_000,
  }, () => {
    const body = bodyOf(smallDelta());
    let accepted = 0;
    for (let pos = 0; pos < body.length; pos++) {
      for (let value = 0; value < 256; value++) {
        if (value === body[pos]) continue;
        const bad = body.slice();
        bad[pos] = value;
        let decoded: DeltaContent | undefined;
        const context = `byte ${pos} = ${value}`;
        if (expectFormatError(() => (decoded = decodePayload(bad)), context)) continue;
        accepted++;
        assert.deepStrictEqual(bodyOf(decoded!), bad, context);
      }
    }
    for (let n = 0; n < body.length; n++) {
      const cut = body.slice(0, n);
      let decoded: DeltaContent | undefined;
      if (!expectFormatError(() => (decoded = decodePayload(cut)), `truncated to ${n}`)) {
        assert.deepStrictEqual(bodyOf(decoded!), cut, `truncated to ${n}`);
      }
    }
    // some changes are legitimately another valid delta (a different count, a different character)
    assert.ok(accepted > 0);
  });

  test('the unmodified payload decodes to the original', () => {
    assert.deepStrictEqual(decodePayload(bodyOf(smallDelta())), smallDelta());
  });
});

/**
 * Bytes after a tenant's last series when it has no service-graph halves and no received counts:
 * two zero counts, then two zero numbers and an empty record (format 3).
 */
const HALF_SECTIONS = 2 + 3;

describe('values the registry would reject', () => {
  test('a negative counter increment is a DeltaFormatError naming the series', () => {
    const body = bodyOf(
      deltaOf({ t: [{ type: 'counter', name: 'calls', labels: labels({ service: 'api' }), value: 3 }] }),
    );
    // the tenant ends with two empty service-graph sections (0 halves, 0 dropped sides) and no received counts
    const at = body.length - 1 - HALF_SECTIONS;
    assert.equal(body[at], 3 * 4, 'the value is the last byte of the series (integer 3)');
    body[at] = 3 * 4 - 2; // integer -3
    assert.throws(
      () => decodeDelta(frame(body)),
      (e: unknown) =>
        e instanceof DeltaFormatError &&
        /counter calls\{service="api"\}: increment must be >= 0, got -3/.test(e.message),
    );
  });

  test('a NaN histogram count is a DeltaFormatError naming the series', () => {
    const h: SeriesIncrement = {
      type: 'histogram',
      name: 'latency',
      labels: labels({ service: 'db' }),
      classic: classicPart([1], [1, 1], 3),
    };
    const body = bodyOf(deltaOf({ t: [h] }));
    const at = body.length - 1 - HALF_SECTIONS;
    assert.equal(body[at], 2 * 4, 'the count is the last byte of the series (integer 2)');
    const patched = new Uint8Array([...body.subarray(0, at), 3, 0x00, 0x00, 0xc0, 0x7f, ...body.subarray(at + 1)]); // float32 NaN
    assert.throws(
      () => decodeDelta(frame(patched)),
      (e: unknown) =>
        e instanceof DeltaFormatError && /histogram latency\{service="db"\}: classic count NaN/.test(e.message),
    );
  });

  test('a frame built by hand around a valid body decodes (the helper above is faithful)', () => {
    const content = smallDelta();
    assert.deepStrictEqual(decodeDelta(frame(bodyOf(content))), content);
  });
});
