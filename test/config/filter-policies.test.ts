// filter_policies validation and normalization (Tempo: pkg/spanfilter).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FilterPolicy } from '../../lib/config/index.ts';
import { assertConfigError, load } from './helpers.ts';

const PATH = 'overrides.defaults.metrics_generator.processor.span_metrics.filter_policies';
const wrap = (policies: string) =>
  `overrides: {defaults: {metrics_generator: {processors: [span-metrics], processor: {span_metrics: {filter_policies: ${policies}}}}}}`;
const policies = (yaml: string): readonly FilterPolicy[] => load(wrap(yaml)).tenant('t').spanMetrics!.filterPolicies;
const attrs = (matchType: string, list: string) => `[{include: {match_type: ${matchType}, attributes: ${list}}}]`;

describe('values keep their YAML type', () => {
  test('ints and floats are told apart', () => {
    const p = policies(
      attrs(
        'strict',
        '[{key: span.a, value: 5}, {key: span.b, value: 5.0}, {key: span.c, value: 2.5}, {key: span.d, value: -3}]',
      ),
    );
    assert.deepEqual(p[0].include!.attributes, [
      { key: 'span.a', value: 5, isInt: true },
      { key: 'span.b', value: 5, isInt: false },
      { key: 'span.c', value: 2.5, isInt: false },
      { key: 'span.d', value: -3, isInt: true },
    ]);
  });

  test('JSON numbers follow the same rule', () => {
    const c = load(
      JSON.stringify({
        overrides: {
          defaults: {
            metrics_generator: {
              processors: ['span-metrics'],
              processor: {
                span_metrics: {
                  filter_policies: [
                    {
                      exclude: {
                        match_type: 'strict',
                        attributes: [
                          { key: 'resource.n', value: 7 },
                          { key: 'resource.f', value: 7.5 },
                        ],
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    );
    assert.deepEqual(
      c.tenant('t').spanMetrics!.filterPolicies[0].exclude!.attributes.map((a) => a.isInt),
      [true, false],
    );
  });

  test('strings and booleans', () => {
    const p = policies(attrs('strict', '[{key: span.s, value: "5"}, {key: span.b, value: true}]'));
    assert.deepEqual(p[0].include!.attributes, [
      { key: 'span.s', value: '5', isInt: false },
      { key: 'span.b', value: true, isInt: false },
    ]);
  });

  test('integers beyond 2^53 are refused rather than rounded', () => {
    assertConfigError(
      wrap(attrs('strict', '[{key: span.a, value: 9007199254740993}]')),
      `${PATH}[0].include.attributes[0].value: integers beyond`,
    );
  });
});

describe('structure', () => {
  test('include, include_any and exclude map to the contract names', () => {
    const p = policies(
      '[{include: {match_type: strict, attributes: [{key: kind, value: SPAN_KIND_SERVER}]}, include_any: {match_type: regex, attributes: [{key: name, value: "^GET"}]}, exclude: {match_type: strict, attributes: []}}]',
    );
    assert.deepEqual(p, [
      {
        include: { matchType: 'strict', attributes: [{ key: 'kind', value: 'SPAN_KIND_SERVER', isInt: false }] },
        includeAny: { matchType: 'regex', attributes: [{ key: 'name', value: '^GET', isInt: false }] },
        exclude: { matchType: 'strict', attributes: [] },
      },
    ]);
  });

  test('a policy needs include, include_any or exclude', () => {
    assertConfigError(wrap('[{}]'), `${PATH}[0]: a policy needs at least one of include, include_any or exclude`);
  });

  test('match_type is required and must be strict or regex', () => {
    assertConfigError(wrap('[{include: {attributes: []}}]'), `${PATH}[0].include.match_type: is required`);
    assertConfigError(
      wrap('[{include: {match_type: exact, attributes: []}}]'),
      `${PATH}[0].include.match_type: must be one of strict, regex`,
    );
  });
});

describe('keys', () => {
  test('accepted forms are normalized', () => {
    const p = policies(
      attrs(
        'strict',
        '[{key: name, value: x}, {key: "span:name", value: "y"}, {key: span.http.method, value: GET}, {key: resource.service.name, value: s}, {key: "span.\\"a b\\"", value: z}, {key: status, value: STATUS_CODE_ERROR}]',
      ),
    );
    assert.deepEqual(
      p[0].include!.attributes.map((a) => a.key),
      ['name', 'name', 'span.http.method', 'resource.service.name', 'span.a b', 'status'],
    );
  });

  const bad: [string, string][] = [
    ['.foo', 'unscoped attribute ".foo" is not supported'],
    ['duration', 'unsupported intrinsic "duration"'],
    ['statusMessage', 'unsupported intrinsic "statusMessage"'],
    ['foo', 'unsupported key "foo"'],
    ['event.foo', 'unsupported key "event.foo"'],
    ['span.', 'empty attribute name'],
    ['span.a b', 'invalid attribute name'],
    ['', 'must not be empty'],
  ];
  for (const [key, problem] of bad) {
    test(`key ${JSON.stringify(key)} is rejected`, () => {
      assertConfigError(
        wrap(attrs('strict', `[{key: ${JSON.stringify(key)}, value: x}]`)),
        `${PATH}[0].include.attributes[0].key: ${problem}`,
      );
    });
  }
});

describe('values', () => {
  test('strict kind and status must be enum names', () => {
    assertConfigError(
      wrap(attrs('strict', '[{key: kind, value: server}]')),
      `${PATH}[0].include.attributes[0].value: must be one of SPAN_KIND_UNSPECIFIED`,
    );
    assertConfigError(
      wrap(attrs('strict', '[{key: status, value: ERROR}]')),
      `${PATH}[0].include.attributes[0].value: must be one of STATUS_CODE_UNSET`,
    );
  });

  test('strict name must be a string', () => {
    assertConfigError(
      wrap(attrs('strict', '[{key: name, value: 5}]')),
      `${PATH}[0].include.attributes[0].value: must be a string`,
    );
  });

  test('regex values must be strings that compile', () => {
    assertConfigError(
      wrap(attrs('regex', '[{key: span.a, value: 5}]')),
      `${PATH}[0].include.attributes[0].value: must be a string (a regular expression)`,
    );
    assertConfigError(
      wrap(attrs('regex', '[{key: name, value: "a("}]')),
      `${PATH}[0].include.attributes[0].value: invalid regular expression`,
    );
    // Go's inline flags are RE2 syntax, so they compile.
    assert.equal(
      policies(attrs('regex', '[{key: name, value: "(?i)get"}]'))[0].include!.attributes[0].value,
      '(?i)get',
    );
  });

  test('regex on kind accepts patterns over the enum names', () => {
    const p = policies(attrs('regex', '[{key: kind, value: "SPAN_KIND_(SERVER|CONSUMER)"}]'));
    assert.equal(p[0].include!.attributes[0].value, 'SPAN_KIND_(SERVER|CONSUMER)');
  });

  test('a value is required', () => {
    assertConfigError(
      wrap(attrs('strict', '[{key: span.a}]')),
      `${PATH}[0].include.attributes[0].value: must be a string, number or boolean`,
    );
    assertConfigError(
      wrap(attrs('strict', '[{key: span.a, value: [1]}]')),
      `${PATH}[0].include.attributes[0].value: must be a string, number or boolean`,
    );
  });

  test('the global service_graphs block is validated too', () => {
    assertConfigError(
      'metrics_generator: {processor: {service_graphs: {filter_policies: [{exclude: {match_type: strict, attributes: [{key: .x, value: 1}]}}]}}}',
      'metrics_generator.processor.service_graphs.filter_policies[0].exclude.attributes[0].key: unscoped attribute',
    );
  });
});
