import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AMP_WORKSPACE_ARN, configFileWith, seededObjects, skipTemplateValidation, stackOf } from './fixtures.ts';

skipTemplateValidation();

const endpoint = (auth: string) =>
  `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://prom.example.com/api/v1/write\n${auth}`;

describe('the config file is validated at synth', () => {
  test('a bad key fails synth with its path and the file', () => {
    const file = configFileWith('metrics_generator:\n  registry:\n    collection_intervall: 15s\n');
    assert.throws(
      () => stackOf({ configFile: file }),
      (e: Error) =>
        e.message.startsWith('metrics_generator.registry.collection_intervall: unknown key') &&
        e.message.endsWith(`(in ${file})`),
    );
  });

  test('a bad value deep in the overrides fails synth with its path', () => {
    const file = configFileWith(
      'overrides:\n  tenant-a:\n    metrics_generator:\n      processor:\n        span_metrics:\n          histogram_buckets: [1, 0.5]\n',
    );
    assert.throws(
      () => stackOf({ configFile: file }),
      (e: Error) =>
        /^overrides\.tenant-a\.metrics_generator\.processor\.span_metrics\.histogram_buckets\[1\]: /.test(e.message),
    );
  });

  test('a missing file names the file', () => {
    assert.throws(
      () => stackOf({ configFile: 'config/does-not-exist.yaml' }),
      /cannot read config file: .*\(in config\/does-not-exist\.yaml\)/,
    );
  });

  const rejected: Array<[string, string, string]> = [
    [
      'basic_auth.password',
      endpoint('        basic_auth: {username: u, password: p}\n'),
      'metrics_generator.storage.remote_write[0].basic_auth.password',
    ],
    ['bearer_token', endpoint('        bearer_token: t\n'), 'metrics_generator.storage.remote_write[0].bearer_token'],
    [
      'authorization.credentials',
      endpoint('        authorization: {credentials: c}\n'),
      'metrics_generator.storage.remote_write[0].authorization.credentials',
    ],
    [
      'sigv4 keys',
      endpoint('        sigv4: {region: eu-west-1, access_key: AKIA, secret_key: s}\n'),
      'metrics_generator.storage.remote_write[0].sigv4',
    ],
    [
      'sigv4.profile',
      endpoint('        sigv4: {region: eu-west-1, profile: dev}\n'),
      'metrics_generator.storage.remote_write[0].sigv4.profile',
    ],
  ];
  for (const [name, text, path] of rejected) {
    test(`a credential or setting that cannot work in Lambda is rejected: ${name}`, () => {
      const file = configFileWith(text);
      assert.throws(
        () => stackOf({ configFile: file, remoteWrite: { ampWorkspaceArn: AMP_WORKSPACE_ARN } }),
        (e: Error) => e.message.startsWith(`${path}: `) && e.message.endsWith(`(in ${file})`),
      );
    });
  }

  test('a per-tenant overrides file is validated at synth and seeded next to the main config in the bucket', () => {
    const file = configFileWith('overrides:\n  per_tenant_override_config: tenants/t.yaml\n');
    mkdirSync(join(dirname(file), 'tenants'), { recursive: true });
    writeFileSync(
      join(dirname(file), 'tenants/t.yaml'),
      'overrides:\n  tenant-a:\n    metrics_generator:\n      processors: [span-metrics]\n',
    );
    const seeded = seededObjects(stackOf({ configFile: file }));
    assert.deepEqual(Object.keys(seeded).sort(), ['config.yaml', 'tenants/t.yaml']);
    assert.match(seeded['tenants/t.yaml'], /tenant-a/);

    writeFileSync(
      join(dirname(file), 'tenants/t.yaml'),
      'overrides:\n  tenant-a:\n    metrics_generator:\n      max_active_series: many\n',
    );
    assert.throws(
      () => stackOf({ configFile: file }),
      (e: Error) =>
        /^overrides\.tenant-a\.metrics_generator\.max_active_series: .*\(in .*tenants\/t\.yaml\)/.test(e.message),
    );
  });

  test('literal tenant headers are allowed in the per-tenant overrides file (it lives in the encrypted bucket, not in the template)', () => {
    const file = configFileWith('overrides:\n  per_tenant_override_config: t.yaml\n');
    writeFileSync(
      join(dirname(file), 't.yaml'),
      'overrides:\n  tenant-a:\n    metrics_generator:\n      remote_write_headers:\n        X-API-Key: literal\n',
    );
    assert.doesNotThrow(() => stackOf({ configFile: file }));
  });

  test('credential files are allowed, with a synth warning that the function must be given them', () => {
    const stack = stackOf({
      configFile: configFileWith(
        endpoint('        basic_auth: {username: u, password_file: /opt/secrets/rw-password}\n'),
      ),
    });
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'remote_write\\[0\\]\\.basic_auth\\.password_file: the file must exist in the flush function',
      ),
    );
  });

  test('a secretsmanager:<key> credential reads the remote-write secret: no file warning', () => {
    const stack = stackOf({
      configFile: configFileWith(
        endpoint('        basic_auth: {username: u, password_file: "secretsmanager:rw-password"}\n'),
      ),
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('password_file: the file must exist'));
  });

  test('a config without remote_write is deployable but warned about', () => {
    Annotations.fromStack(stackOf()).hasWarning(
      '*',
      Match.stringLikeRegexp('remote_write is empty, so series are computed and kept but sent nowhere'),
    );
  });

  test('a config of any size deploys (1,000 tenants)', () => {
    const tenants = Array.from(
      { length: 1000 },
      (_, i) => `  tenant-${i}:\n    metrics_generator:\n      processors: [span-metrics]\n`,
    ).join('');
    const seeded = seededObjects(stackOf({ configFile: configFileWith(`overrides:\n${tenants}`) }));
    assert.ok(Buffer.byteLength(seeded['config.yaml']) > 50_000);
  });

  test('a config change changes both function descriptions, so warm containers reload it', () => {
    const descriptions = (text: string) =>
      Object.values(
        Template.fromStack(stackOf({ configFile: configFileWith(text) })).findResources('AWS::Lambda::Function'),
      )
        .map((f) => (f as { Properties: { Description?: string } }).Properties.Description ?? '')
        .filter((d) => d.startsWith('msk-metrics-generator'));
    const a = descriptions('metrics_generator:\n  registry:\n    collection_interval: 15s\n');
    const b = descriptions('metrics_generator:\n  registry:\n    collection_interval: 30s\n');
    assert.equal(a.length, 2);
    for (let i = 0; i < a.length; i++) assert.notEqual(a[i], b[i]);
  });

  test('a whole tempo.yaml deploys: the blocks not read are a synth info, keys without effect synth warnings', () => {
    const stack = stackOf({ configFile: 'test/config/fixtures/tempo-2x-monolithic.yaml' });
    const annotations = Annotations.fromStack(stack);
    annotations.hasInfo(
      '*',
      Match.stringLikeRegexp('ignoring the other top-level blocks: stream_over_http_enabled, server, query_frontend'),
    );
    annotations.hasWarning(
      '*',
      Match.stringLikeRegexp('metrics_generator\\.traces_storage: ignored \\(TraceQL metrics and Traces Drilldown'),
    );
  });

  test('a whole tempo.yaml deploys: only metrics_generator and overrides go into the config bucket', () => {
    const whole = readFileSync('test/config/fixtures/tempo-2x-monolithic.yaml', 'utf8');
    const padded = `${whole}querier:\n  search:\n${Array.from({ length: 400 }, (_, i) => `    option_${i}: value-${i}\n`).join('')}`;
    assert.ok(Buffer.byteLength(padded) > 8192);
    const shipped = seededObjects(stackOf({ configFile: configFileWith(padded) }))['config.yaml'];
    assert.match(shipped, /^metrics_generator:\n/m);
    assert.match(shipped, /^overrides:\n/m);
    assert.doesNotMatch(shipped, /^(querier|server|storage|distributor):/m);
  });

  test('every example in config/ deploys', () => {
    const files = readdirSync('config').filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 3);
    for (const f of files)
      assert.doesNotThrow(
        () => stackOf({ configFile: join('config', f), remoteWrite: { ampWorkspaceArn: AMP_WORKSPACE_ARN } }),
        f,
      );
  });
});
