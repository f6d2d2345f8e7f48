import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AMP_WORKSPACE_ARN, configFileWith, onlyResource, skipTemplateValidation, stackOf } from './fixtures.ts';

skipTemplateValidation();

const endpoint = (auth: string) => `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://prom.example.com/api/v1/write\n${auth}`;

describe('the config file is validated at synth', () => {
  test('a bad key fails synth with its path and the file', () => {
    const file = configFileWith('metrics_generator:\n  registry:\n    collection_intervall: 15s\n');
    assert.throws(
      () => stackOf({ configFile: file }),
      (e: Error) => e.message.startsWith('metrics_generator.registry.collection_intervall: unknown key') && e.message.endsWith(`(in ${file})`),
    );
  });

  test('a bad value deep in the overrides fails synth with its path', () => {
    const file = configFileWith('overrides:\n  tenant-a:\n    metrics_generator:\n      processor:\n        span_metrics:\n          histogram_buckets: [1, 0.5]\n');
    assert.throws(() => stackOf({ configFile: file }), (e: Error) => /^overrides\.tenant-a\.metrics_generator\.processor\.span_metrics\.histogram_buckets\[1\]: /.test(e.message));
  });

  test('a missing file names the file', () => {
    assert.throws(() => stackOf({ configFile: 'config/does-not-exist.yaml' }), /cannot read config file: .*\(in config\/does-not-exist\.yaml\)/);
  });

  const rejected: Array<[string, string, string]> = [
    ['basic_auth.password', endpoint('        basic_auth: {username: u, password: p}\n'), 'metrics_generator.storage.remote_write[0].basic_auth.password'],
    ['bearer_token', endpoint('        bearer_token: t\n'), 'metrics_generator.storage.remote_write[0].bearer_token'],
    ['authorization.credentials', endpoint('        authorization: {credentials: c}\n'), 'metrics_generator.storage.remote_write[0].authorization.credentials'],
    ['sigv4 keys', endpoint('        sigv4: {region: eu-west-1, access_key: AKIA, secret_key: s}\n'), 'metrics_generator.storage.remote_write[0].sigv4'],
    ['sigv4.profile', endpoint('        sigv4: {region: eu-west-1, profile: dev}\n'), 'metrics_generator.storage.remote_write[0].sigv4.profile'],
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

  test('a per-tenant overrides file cannot reach the functions and is rejected', () => {
    const file = configFileWith('overrides:\n  per_tenant_override_config: tenants.yaml\n');
    writeFileSync(join(dirname(file), 'tenants.yaml'), 'overrides:\n  tenant-a:\n    metrics_generator:\n      processors: [span-metrics]\n');
    assert.throws(() => stackOf({ configFile: file }), (e: Error) => /^overrides\.per_tenant_override_config: not available in the deployed stack/.test(e.message));
  });

  test('credential files are allowed, with a synth warning that the function must be given them', () => {
    const stack = stackOf({ configFile: configFileWith(endpoint('        basic_auth: {username: u, password_file: /opt/secrets/rw-password}\n')) });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('remote_write\\[0\\]\\.basic_auth\\.password_file: the file must exist in the flush function'));
  });

  test('a secretsmanager:<key> credential reads the remote-write secret: no file warning', () => {
    const stack = stackOf({ configFile: configFileWith(endpoint('        basic_auth: {username: u, password_file: "secretsmanager:rw-password"}\n')) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('password_file: the file must exist'));
  });

  test('a config without remote_write is deployable but warned about', () => {
    Annotations.fromStack(stackOf()).hasWarning('*', Match.stringLikeRegexp('remote_write is empty, so series are computed and kept but sent nowhere'));
  });

  test('a config over 4 KB uses the advanced parameter tier; over 8 KB fails', () => {
    const comment = (n: number) => `# ${'x'.repeat(n)}\n`;
    const big = onlyResource(Template.fromStack(stackOf({ configFile: configFileWith(comment(5000)) })), 'AWS::SSM::Parameter');
    assert.equal(big.Tier, 'Advanced');
    assert.throws(() => stackOf({ configFile: configFileWith(comment(9000)) }), /the file is 9003 bytes; an SSM parameter holds at most 8192/);
  });

  test('a config change changes both function descriptions, so warm containers reload it', () => {
    const descriptions = (text: string) =>
      Object.values(Template.fromStack(stackOf({ configFile: configFileWith(text) })).findResources('AWS::Lambda::Function')).map(
        (f) => (f as { Properties: { Description: string } }).Properties.Description,
      );
    const a = descriptions('metrics_generator:\n  registry:\n    collection_interval: 15s\n');
    const b = descriptions('metrics_generator:\n  registry:\n    collection_interval: 30s\n');
    assert.equal(a.length, 2);
    for (let i = 0; i < a.length; i++) assert.notEqual(a[i], b[i]);
  });

  test('a whole tempo.yaml deploys: the blocks not read are a synth info, keys without effect synth warnings', () => {
    const stack = stackOf({ configFile: 'test/config/fixtures/tempo-2x-monolithic.yaml' });
    const annotations = Annotations.fromStack(stack);
    annotations.hasInfo('*', Match.stringLikeRegexp('ignoring the other top-level blocks: stream_over_http_enabled, server, query_frontend'));
    annotations.hasWarning('*', Match.stringLikeRegexp('metrics_generator\\.traces_storage: ignored \\(TraceQL metrics and Traces Drilldown'));
  });

  test('a whole tempo.yaml over 8 KB deploys: only metrics_generator and overrides go into the SSM parameter', () => {
    const whole = readFileSync('test/config/fixtures/tempo-2x-monolithic.yaml', 'utf8');
    const padded = `${whole}querier:\n  search:\n${Array.from({ length: 400 }, (_, i) => `    option_${i}: value-${i}\n`).join('')}`;
    assert.ok(Buffer.byteLength(padded) > 8192);
    const parameter = onlyResource(Template.fromStack(stackOf({ configFile: configFileWith(padded) })), 'AWS::SSM::Parameter');
    const shipped = parameter.Value as string;
    assert.match(shipped, /^metrics_generator:\n/m);
    assert.match(shipped, /^overrides:\n/m);
    assert.doesNotMatch(shipped, /^(querier|server|storage|distributor):/m);
  });

  test('every example in config/ deploys', () => {
    const files = readdirSync('config').filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 3);
    for (const f of files) assert.doesNotThrow(() => stackOf({ configFile: join('config', f), remoteWrite: { ampWorkspaceArn: AMP_WORKSPACE_ARN } }), f);
  });
});
