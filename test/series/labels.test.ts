import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  LabelBuilder,
  buildLabels,
  escapeLabelValue,
  labelsFromRecord,
  overlayLabels,
  seriesHash,
  seriesKey,
  withLabel,
} from '../../lib/series/labels.ts';

const noLimits = { maxLabelNameLength: 1024, maxLabelValueLength: 2048 };

describe('LabelBuilder', () => {
  test('sorts by name and keeps insertion order irrelevant to the result', () => {
    const { labels, valid } = buildLabels(
      [
        ['status_code', 'STATUS_CODE_OK'],
        ['service', 'test-service'],
        ['span_name', 'test'],
        ['span_kind', 'SPAN_KIND_CLIENT'],
      ],
      noLimits,
    );
    assert.equal(valid, true);
    assert.deepEqual(
      labels.map((l) => l.name),
      ['service', 'span_kind', 'span_name', 'status_code'],
    );
  });

  test('same name twice: the last write wins', () => {
    const { labels } = buildLabels(
      [
        ['b', 'first'],
        ['a', 'x'],
        ['b', 'second'],
      ],
      noLimits,
    );
    assert.deepEqual(labels, [
      { name: 'a', value: 'x' },
      { name: 'b', value: 'second' },
    ]);
  });

  test('empty values are dropped, and an empty later write deletes the earlier label', () => {
    const { labels } = buildLabels(
      [
        ['service', 'svc'],
        ['job', ''],
        ['span_name', 'op'],
        ['service', ''],
      ],
      noLimits,
    );
    assert.deepEqual(labels, [{ name: 'span_name', value: 'op' }]);
  });

  test('a label re-added after an empty write is kept', () => {
    const { labels } = buildLabels(
      [
        ['a', '1'],
        ['a', ''],
        ['a', '2'],
      ],
      noLimits,
    );
    assert.deepEqual(labels, [{ name: 'a', value: '2' }]);
  });

  test('names and values are truncated in UTF-8 bytes', () => {
    const { labels, valid } = buildLabels(
      [
        ['abcdef', 'ééé'], // value is 6 bytes
        ['xyz', 'short'],
      ],
      { maxLabelNameLength: 4, maxLabelValueLength: 4 },
    );
    assert.equal(valid, true);
    assert.deepEqual(labels, [
      { name: 'abcd', value: 'éé' },
      { name: 'xyz', value: 'shor' },
    ]);
  });

  test('names that collide after truncation dedupe last-write-wins', () => {
    const { labels } = buildLabels(
      [
        ['dimension_one', '1'],
        ['dimension_two', '2'],
      ],
      { maxLabelNameLength: 9, maxLabelValueLength: 0 },
    );
    assert.deepEqual(labels, [{ name: 'dimension', value: '2' }]);
  });

  test('a cut through a multi-byte character makes the set invalid (Go: invalid UTF-8)', () => {
    const built = buildLabels([['service', 'aé']], { maxLabelNameLength: 1024, maxLabelValueLength: 2 });
    assert.equal(built.valid, false);
  });

  test('lone surrogates and empty names are invalid', () => {
    assert.equal(buildLabels([['a', 'x\ud800']], noLimits).valid, false);
    assert.equal(buildLabels([['', 'x']], noLimits).valid, false);
  });

  test('the builder is reusable after build()', () => {
    const b = new LabelBuilder({ maxLabelNameLength: 1024, maxLabelValueLength: 1 });
    assert.equal(b.add('a', 'é').build().valid, false);
    const second = b.add('b', 'x').build();
    assert.equal(second.valid, true);
    assert.deepEqual(second.labels, [{ name: 'b', value: 'x' }]);
  });
});

describe('series identity', () => {
  const labels = [
    { name: 'service', value: 'test-service' },
    { name: 'span_kind', value: 'SPAN_KIND_CLIENT' },
    { name: 'span_name', value: 'test' },
    { name: 'status_code', value: 'STATUS_CODE_OK' },
  ];

  test('seriesKey is the escaped text form', () => {
    assert.equal(
      seriesKey('traces_spanmetrics_calls_total', labels),
      'traces_spanmetrics_calls_total{service="test-service",span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"}',
    );
    assert.equal(seriesKey('m', [{ name: 'a', value: 'q"\\\n' }]), 'm{a="q\\"\\\\\\n"}');
    assert.equal(seriesKey('m', []), 'm{}');
  });

  test('seriesHash is pinned: stored state is keyed by it', () => {
    assert.equal(seriesHash('traces_spanmetrics_calls_total', labels), 'da0f1ce6ba3aa555');
    assert.equal(seriesHash('my_counter', []), '8c55c5812df246c5');
    assert.equal(seriesHash('m', [{ name: 'a', value: 'é"\n' }]), 'f74b5a5d1e66a283');
  });

  test('seriesHash separates name/value boundaries', () => {
    assert.notEqual(seriesHash('m', [{ name: 'ab', value: 'c' }]), seriesHash('m', [{ name: 'a', value: 'bc' }]));
    assert.notEqual(seriesHash('ma', []), seriesHash('m', [{ name: 'a', value: '' }]));
  });
});

describe('label set helpers', () => {
  test('withLabel inserts in sorted position or replaces', () => {
    const base = [
      { name: 'Zone', value: 'z' },
      { name: 'service', value: 's' },
    ];
    assert.deepEqual(
      withLabel(base, '__name__', 'm').map((l) => l.name),
      ['Zone', '__name__', 'service'],
    );
    assert.deepEqual(withLabel(base, 'service', 't')[1], { name: 'service', value: 't' });
    assert.deepEqual(
      withLabel(base, 'zz', '1').map((l) => l.name),
      ['Zone', 'service', 'zz'],
    );
  });

  test('overlayLabels: overrides win, empty override removes', () => {
    const base = [
      { name: 'cluster', value: 'series' },
      { name: 'env', value: 'prod' },
      { name: 'service', value: 's' },
    ];
    const overrides = labelsFromRecord({ cluster: 'external', env: '', region: 'eu' });
    assert.deepEqual(overlayLabels(base, overrides), [
      { name: 'cluster', value: 'external' },
      { name: 'region', value: 'eu' },
      { name: 'service', value: 's' },
    ]);
  });

  test('escapeLabelValue escapes backslash, quote and newline only', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd\te'), 'a\\\\b\\"c\\nd\te');
    assert.equal(escapeLabelValue('plain'), 'plain');
  });
});
