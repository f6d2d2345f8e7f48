import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttributeList } from '../../../lib/decode/span-view.ts';
import { AttributeKeyIndex } from '../../../lib/processors/servicegraphs/attribute-lookup.ts';

const enc = new TextEncoder();

function field(tag: number, payload: Uint8Array): number[] {
  const out = [tag];
  let len = payload.length;
  while (len >= 0x80) {
    out.push((len & 0x7f) | 0x80);
    len >>>= 7;
  }
  out.push(len, ...payload);
  return out;
}
const key = (k: string) => field(0x0a, enc.encode(k));
const stringValue = (v: string) => field(0x12, Uint8Array.from(field(0x0a, enc.encode(v))));

test('one-pass index agrees with AttributeList.indexOf for every layout', () => {
  const long = 'k'.repeat(130);
  const kvs: number[][] = [
    [...key('db.name'), ...stringValue('x')], // canonical
    [...stringValue('y'), ...key('peer.service')], // value first
    [...key('decoy'), ...key('db.system'), ...stringValue('z')], // repeated key: the last one counts
    [...key(long), ...stringValue('w')], // key longer than 127 bytes
    [...key('server.address')], // no value
    [...key('db.name'), ...stringValue('second')], // a later duplicate
    [0x0a, 0x05, 0x61], // truncated: malformed
    [...key('peer.service'), 0x12, 0x05, 0x0a, 0x01], // value runs short: not canonical
  ];
  const bytes: number[] = [];
  const attrs = new AttributeList();
  const bounds: [number, number][] = [];
  for (const kv of kvs) {
    bounds.push([bytes.length, bytes.length + kv.length]);
    bytes.push(...kv);
  }
  attrs.clear(Uint8Array.from(bytes));
  for (const [s, e] of bounds) attrs.push(s, e);

  const wanted = [
    'db.name',
    'peer.service',
    'db.system',
    'decoy',
    long,
    'server.address',
    'absent',
    'db.namespace',
  ].map((k) => enc.encode(k));
  const index = new AttributeKeyIndex(wanted);
  index.index(attrs);
  assert.deepEqual(
    [...index.first],
    wanted.map((k) => attrs.indexOf(k)),
  );
  assert.deepEqual([...index.first], [0, 1, 2, -1, 3, 4, -1, -1]);
});
