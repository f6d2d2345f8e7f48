import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Relabeler,
  relabelConfigOf,
  type RelabelConfig,
  type RelabelConfigInput,
} from '../../lib/remote-write/relabel.ts';
import { ConfigError, parseConfig } from '../../lib/config/index.ts';
import { compileRelabelRegex } from '../../lib/remote-write/relabel-config.ts';
import type { Labels } from '../../lib/series/types.ts';

const config = (input: RelabelConfigInput): RelabelConfig => {
  const c = relabelConfigOf(input);
  if ('problem' in c) throw new Error(`${c.key}: ${c.problem}`);
  return c;
};
const labels = (m: Record<string, string>): Labels =>
  Object.entries(m)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
const relabel = (input: Record<string, string>, ...rules: RelabelConfigInput[]): Record<string, string> | undefined => {
  const out = new Relabeler(rules.map(config)).apply(labels(input));
  return out === undefined ? undefined : Object.fromEntries(out.map((l) => [l.name, l.value]));
};

describe('write_relabel_configs: actions (after the Prometheus relabel_config documentation)', () => {
  const series = {
    __name__: 'traces_spanmetrics_calls_total',
    service: 'checkout',
    span_kind: 'SPAN_KIND_SERVER',
    span_name: 'GET /cart',
  };

  test('replace with the defaults copies the joined source labels (separator ;, regex (.*), replacement $1)', () => {
    assert.deepEqual(relabel(series, { source_labels: ['service', 'span_kind'], target_label: 'both' }), {
      ...series,
      both: 'checkout;SPAN_KIND_SERVER',
    });
  });

  test('replace with capture groups: $1, ${1}, $name, and a regex that must match the whole value', () => {
    const base = { __name__: 'm', instance: 'host-a.example.com:9100' };
    assert.deepEqual(
      relabel(base, {
        source_labels: ['instance'],
        regex: '([^.]+)\\..*:(\\d+)',
        target_label: 'host',
        replacement: '${1}_$2',
      }),
      { ...base, host: 'host-a_9100' },
    );
    assert.deepEqual(
      relabel(base, { source_labels: ['instance'], regex: '(?P<h>[^:]+):.*', target_label: 'h', replacement: 'x$h' }),
      { ...base, h: 'xhost-a.example.com' },
    );
    // "$1x" names the group "1x" (none): empty, so the target label is removed rather than set
    assert.deepEqual(
      relabel(
        { ...base, t: 'old' },
        { source_labels: ['instance'], regex: '(h).*', target_label: 't', replacement: '$1x' },
      ),
      base,
    );
    assert.deepEqual(
      relabel(base, { source_labels: ['instance'], regex: '(h).*', target_label: 't', replacement: '$$1 ${1}x' }),
      { ...base, t: '$1 hx' },
    );
    // anchored: "host" alone does not match "host-a...", nothing happens
    assert.deepEqual(
      relabel(base, { source_labels: ['instance'], regex: 'host', target_label: 'x', replacement: 'y' }),
      base,
    );
  });

  test('replace into a target named by a capture group (UTF-8 names, as Tempo validates); an empty expansion changes nothing', () => {
    const base = { __name__: 'm', kind: 'db' };
    assert.deepEqual(
      relabel(base, { source_labels: ['kind'], regex: '(.*)', target_label: 'is_$1', replacement: 'true' }),
      { ...base, is_db: 'true' },
    );
    assert.deepEqual(
      relabel({ __name__: 'm', kind: '9.x' }, { source_labels: ['kind'], target_label: '$1', replacement: 'v' }),
      { __name__: 'm', kind: '9.x', '9.x': 'v' },
    );
    assert.deepEqual(
      relabel(base, { source_labels: ['kind'], regex: '(d)(x)?b', target_label: '$2', replacement: 'v' }),
      base,
    );
  });

  test('an empty replacement removes the target label; a missing source label reads as ""', () => {
    assert.deepEqual(relabel(series, { target_label: 'span_name', replacement: '' }), {
      __name__: series.__name__,
      service: 'checkout',
      span_kind: 'SPAN_KIND_SERVER',
    });
    assert.deepEqual(relabel(series, { source_labels: ['nope'], target_label: 'env', replacement: 'prod' }), {
      ...series,
      env: 'prod',
    });
  });

  test('keep and drop match the joined value against the whole regex', () => {
    assert.equal(
      relabel(series, { source_labels: ['__name__'], regex: 'traces_spanmetrics_.*', action: 'drop' }),
      undefined,
    );
    assert.deepEqual(
      relabel(series, { source_labels: ['__name__'], regex: 'traces_spanmetrics', action: 'drop' }),
      series,
    );
    assert.deepEqual(
      relabel(series, { source_labels: ['service', 'span_kind'], regex: 'checkout;.*SERVER', action: 'keep' }),
      series,
    );
    assert.equal(relabel(series, { source_labels: ['service'], regex: 'check', action: 'keep' }), undefined);
    assert.equal(
      relabel(series, { source_labels: ['service'], regex: '(?i)CHECKOUT', action: 'drop' }),
      undefined,
      'RE2 flags',
    );
  });

  test('keepequal and dropequal compare the joined source labels with the target label', () => {
    const s = { __name__: 'm', a: 'x', b: 'x', c: 'y' };
    assert.deepEqual(relabel(s, { source_labels: ['a'], target_label: 'b', action: 'keepequal' }), s);
    assert.equal(relabel(s, { source_labels: ['a'], target_label: 'c', action: 'keepequal' }), undefined);
    assert.equal(relabel(s, { source_labels: ['a'], target_label: 'b', action: 'dropequal' }), undefined);
    assert.deepEqual(
      relabel(s, { source_labels: ['a'], target_label: 'c', action: 'DropEqual' }),
      s,
      'actions are case-insensitive',
    );
  });

  test('hashmod: MD5 of the joined value, last 8 bytes as uint64, modulo (values Prometheus computes)', () => {
    assert.deepEqual(
      relabel(
        { a: 'foo', b: 'bar', c: 'baz' },
        { source_labels: ['c'], target_label: 'd', modulus: 1000, action: 'hashmod' },
      ),
      { a: 'foo', b: 'bar', c: 'baz', d: '976' },
    );
    assert.deepEqual(
      relabel({ a: 'foo\nbar' }, { source_labels: ['a'], target_label: 'b', modulus: 1000, action: 'hashmod' }),
      { a: 'foo\nbar', b: '734' },
    );
  });

  test('labelmap copies matching labels under the expanded name; labeldrop and labelkeep filter names', () => {
    const s = { __name__: 'm', __meta_pod_label_app: 'shop', __meta_pod_label_team: 'web', service: 'x' };
    assert.deepEqual(relabel(s, { regex: '__meta_pod_label_(.+)', action: 'labelmap' }), {
      ...s,
      app: 'shop',
      team: 'web',
    });
    assert.deepEqual(relabel(s, { regex: '__meta_pod_label_(.+)', replacement: 'k8s_$1', action: 'labelmap' }), {
      ...s,
      k8s_app: 'shop',
      k8s_team: 'web',
    });
    assert.deepEqual(relabel(s, { regex: '__meta_.*', action: 'labeldrop' }), { __name__: 'm', service: 'x' });
    assert.deepEqual(relabel(s, { regex: '__name__|service', action: 'labelkeep' }), { __name__: 'm', service: 'x' });
  });

  test('lowercase and uppercase set the target to the case-mapped joined value', () => {
    const s = { __name__: 'm', a: 'MiXeD', b: 'Straße' };
    assert.deepEqual(relabel(s, { source_labels: ['a'], target_label: 'lower', action: 'lowercase' }), {
      ...s,
      lower: 'mixed',
    });
    assert.deepEqual(
      relabel(s, { source_labels: ['a', 'b'], target_label: 'upper', action: 'uppercase' }),
      { ...s, upper: 'MIXED;STRAßE' },
      'per code point, as Go maps',
    );
  });

  test('rules apply in order, each seeing what the previous ones left; output stays sorted', () => {
    const out = new Relabeler([
      config({ source_labels: ['service'], target_label: 'aaa', replacement: 'first' }),
      config({ source_labels: ['aaa'], regex: 'first', target_label: '__name__', replacement: 'renamed_total' }),
      config({ regex: 'aaa', action: 'labeldrop' }),
    ]).apply(labels(series));
    assert.deepEqual(out, labels({ ...series, __name__: 'renamed_total' }));
  });

  test('an unchanged label set comes back as the same array (nothing allocated for the encoder)', () => {
    const input = labels(series);
    const r = new Relabeler([config({ source_labels: ['service'], regex: 'other', action: 'drop' })]);
    assert.equal(r.apply(input), input);
    assert.equal(r.apply(labels(series)), input, 'the second time from the cache, by content');
  });

  test('the cache never mixes up two label sets whose text runs together the same way', () => {
    const r = new Relabeler([config({ source_labels: ['b'], target_label: 'copy' })]);
    const crafted = labels({ __name__: 'm', a: 'x\u0000b\u0000y' });
    const plain = labels({ __name__: 'm', a: 'x', b: 'y' });
    assert.deepEqual(r.apply(crafted), crafted);
    assert.deepEqual(r.apply(plain), labels({ __name__: 'm', a: 'x', b: 'y', copy: 'y' }));
  });

  test('keep decides as the RE2 regex does for literal, alternation and prefix patterns (taken without the engine)', () => {
    const patterns = ['abc', 'a|b|abc', 'foo.*', '', 'a-b/c:d e', 'x.*y', 'a.b', '(?i)abc', 'ab|', '.*'];
    const values = [
      '',
      'abc',
      'ABC',
      'a',
      'b',
      'foo',
      'foobar',
      'foo\nbar',
      'xfoo',
      'a-b/c:d e',
      'xzy',
      'axb',
      'ab',
      'abcd',
    ];
    for (const regex of patterns) {
      const re = compileRelabelRegex(regex);
      const r = new Relabeler([config({ source_labels: ['v'], regex, action: 'keep' })], 0);
      for (const v of values)
        assert.equal(
          r.apply(labels({ __name__: 'm', v })) !== undefined,
          re.matches(v),
          `${regex} on ${JSON.stringify(v)}`,
        );
    }
  });

  test('replace captures as the RE2 regex does for (.*) and literal(.*) patterns (taken without the engine)', () => {
    for (const regex of ['(.*)', 'foo_(.*)', '', 'a.(.*)', '(.*)x']) {
      const re = compileRelabelRegex(regex);
      const r = new Relabeler(
        [config({ source_labels: ['v'], regex, target_label: 'out', replacement: '<$0|$1|$2>' })],
        0,
      );
      for (const v of ['', 'foo_', 'foo_bar', 'foo', 'abx', 'x\ny']) {
        const m = re.matcher(v);
        const want = m.matches() ? `<${m.group(0)}|${m.groupCount() >= 1 ? (m.group(1) ?? '') : ''}|>` : undefined;
        assert.equal(
          r.apply(labels({ __name__: 'm', v }))?.find((l) => l.name === 'out')?.value,
          want,
          `${regex} on ${JSON.stringify(v)}`,
        );
      }
    }
  });

  test('a catastrophic-backtracking pattern stays linear (RE2)', () => {
    const r = new Relabeler([config({ source_labels: ['service'], regex: '(a+)+$', action: 'drop' })]);
    assert.deepEqual(
      r.apply(labels({ __name__: 'm', service: 'a'.repeat(5000) + '!' })),
      labels({ __name__: 'm', service: 'a'.repeat(5000) + '!' }),
    );
  });
});

describe('write_relabel_configs: config validation names the key', () => {
  const parse = (entries: string) =>
    parseConfig(`metrics_generator: {storage: {remote_write: ${entries}}}`).remoteWrite;
  const rejects = (rules: string, path: RegExp, message: RegExp) =>
    assert.throws(
      () => parse(`[{url: "http://127.0.0.1:9/api/v1/write", write_relabel_configs: [${rules}]}]`),
      (e: unknown) => e instanceof ConfigError && path.test(e.message) && message.test(e.message),
      rules,
    );

  test('label names follow the UTF-8 rules Tempo validates with: dots and dashes are fine', () => {
    const [ep] = parse(
      '[{url: "http://127.0.0.1:9/api/v1/write", write_relabel_configs: [{source_labels: [k8s.pod-name], target_label: "service.name"}]}]',
    );
    assert.deepEqual(ep.writeRelabelConfigs?.[0].sourceLabels, ['k8s.pod-name']);
  });

  test('a valid list is parsed with the defaults filled in', () => {
    const [ep] = parse(
      '[{url: "http://127.0.0.1:9/api/v1/write", write_relabel_configs: [{source_labels: [a], target_label: b}, {regex: x.*, action: Drop}]}]',
    );
    assert.deepEqual(ep.writeRelabelConfigs, [
      {
        sourceLabels: ['a'],
        separator: ';',
        regex: '(.*)',
        modulus: 0,
        targetLabel: 'b',
        replacement: '$1',
        action: 'replace',
      },
      {
        sourceLabels: [],
        separator: ';',
        regex: 'x.*',
        modulus: 0,
        targetLabel: '',
        replacement: '$1',
        action: 'drop',
      },
    ]);
  });

  test('bad entries are refused at load with the key path', () => {
    const at = (i: number, key = '') =>
      new RegExp(`remote_write\\[0\\]\\.write_relabel_configs\\[${i}\\]${key.replace(/[[\].]/g, '\\$&')}`);
    rejects('{action: frobnicate}', at(0, '.action'), /unknown relabel action "frobnicate"/);
    rejects('{target_label: a}, {regex: "a(?=b)", action: drop}', at(1, '.regex'), /RE2/);
    rejects('{regex: "(a", action: drop}', at(0, '.regex'), /missing closing/);
    rejects('{source_labels: [a]}', at(0, '.target_label'), /required for the replace action/);
    rejects('{source_labels: [a], target_label: b, action: hashmod}', at(0, '.modulus'), /non-zero modulus/);
    rejects('{source_labels: [a], target_label: "\\uD800x"}', at(0, '.target_label'), /not a valid target label/);
    rejects('{source_labels: [""], target_label: c}', at(0, '.source_labels[0]'), /not a valid label name/);
    rejects(
      '{source_labels: [a], target_label: b, action: lowercase, replacement: x}',
      at(0, '.replacement'),
      /cannot be set/,
    );
    rejects('{regex: "(.*)", replacement: "", action: labelmap}', at(0, '.replacement'), /labelmap/);
    rejects(
      '{source_labels: [a], target_label: b, regex: "(.*)", action: keepequal}',
      at(0),
      /only source_labels and target_label/,
    );
    rejects('{source_labels: [a], regex: x, action: labeldrop}', at(0), /only regex/);
    rejects('{source_labels: [a], target_label: b, bogus: 1}', at(0, '.bogus'), /./);
  });
});
