// The stack sets on each function exactly the variables the environment contract lists for it
// (lib/env/contract.ts), with values the function accepts, and nothing else.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  deployedEnvironment,
  deployedVariables,
  ENVIRONMENT,
  type FunctionName,
  readEnv,
  type VariableName,
} from '../../lib/env/contract.ts';
import { AMP_WORKSPACE_ARN, REMOTE_WRITE_SECRET_ARN, skipTemplateValidation, templateOf } from './fixtures.ts';

skipTemplateValidation();

/** The error's message (not its name) matches. */
const message = (re: RegExp) => (e: Error) => re.test(e.message);

function variablesOf(template: ReturnType<typeof templateOf>, fn: 'Ingest' | 'Flush'): Record<string, unknown> {
  const entry = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`Generator${fn}Function`),
  );
  assert.ok(entry, fn);
  return (entry[1] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment
    .Variables;
}

const FUNCTIONS: [FunctionName, 'Ingest' | 'Flush'][] = [
  ['ingest', 'Ingest'],
  ['flush', 'Flush'],
];

describe('the deployed environment follows the contract', () => {
  const withSecret = templateOf({
    remoteWrite: { secretArn: REMOTE_WRITE_SECRET_ARN, ampWorkspaceArn: AMP_WORKSPACE_ARN },
  });
  const plain = templateOf();

  for (const [fn, id] of FUNCTIONS) {
    test(`${fn}: every variable the contract deploys on it, and no other`, () => {
      assert.deepEqual(Object.keys(variablesOf(withSecret, id)).sort(), deployedVariables(fn).sort());
    });

    test(`${fn}: without a remote-write secret, only the optional secret ARN is left out`, () => {
      const expected = deployedVariables(fn).filter((n) => n !== 'REMOTE_WRITE_SECRET_ARN');
      assert.deepEqual(Object.keys(variablesOf(plain, id)).sort(), expected.sort());
    });

    test(`${fn}: each variable is one its code reads (or Node's own), with a value it accepts`, () => {
      for (const [name, value] of Object.entries(variablesOf(withSecret, id))) {
        const spec = ENVIRONMENT[name as VariableName];
        assert.ok(spec, name);
        assert.ok(
          (spec.readBy as readonly string[]).includes(fn) || name === 'NODE_OPTIONS',
          `${name} is set on ${fn} but ${fn} does not read it`,
        );
        if (typeof value === 'string') readEnv({ [name]: value }, name as VariableName);
      }
    });
  }

  test('a literal value the function would refuse fails the synth naming the variable', () => {
    assert.throws(
      () => deployedEnvironment('ingest', { DELTAS_TABLE: 't', DELTA_TTL_DAYS: 'soon' }),
      message(/^DELTA_TTL_DAYS: must be a positive number of days, got "soon"$/),
    );
    assert.throws(() => deployedEnvironment('flush', { SERIES_TABLE: 's' }), message(/^DELTAS_TABLE: is required/));
    assert.throws(
      () => deployedEnvironment('ingest', { DELTAS_TABLE: 't', SERIES_TABLE: 's' } as never),
      message(/^SERIES_TABLE: is not a variable the ingest function reads/),
    );
  });
});

describe('reading the contract', () => {
  test('unset or empty: the default, or undefined for an optional variable', () => {
    assert.equal(readEnv({}, 'DELTA_TTL_DAYS'), 7);
    assert.equal(readEnv({ DELTA_TTL_DAYS: '' }, 'DELTA_TTL_DAYS'), 7);
    assert.equal(readEnv({ DELTA_TTL_DAYS: '0.5' }, 'DELTA_TTL_DAYS'), 0.5);
    assert.equal(readEnv({}, 'PERSIST_INTERVAL_SECONDS'), 300);
    assert.equal(readEnv({ PERSIST_INTERVAL_SECONDS: '0' }, 'PERSIST_INTERVAL_SECONDS'), 0);
    assert.equal(readEnv({ DATA_BUCKET: '' }, 'DATA_BUCKET'), undefined);
    assert.equal(readEnv({ CONFIG_EXPAND_ENV: '1' }, 'CONFIG_EXPAND_ENV'), true);
    assert.equal(readEnv({ CONFIG_EXPAND_ENV: 'no' }, 'CONFIG_EXPAND_ENV'), false);
  });

  test('every variable a function reads is documented in the README', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(ENVIRONMENT)) assert.ok(readme.includes(`\`${name}\``), `${name} not in README`);
  });
});
