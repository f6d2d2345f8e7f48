import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MetricsGeneratorStack } from '../../infra/metrics-generator-stack.ts';

test('the stack synthesizes offline and ships the config file as an SSM parameter', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new MetricsGeneratorStack(app, 'Test', { configFile: 'config/metrics-generator.yaml' });
  const params = Template.fromStack(stack).findResources('AWS::SSM::Parameter');
  const [param] = Object.values(params) as { Properties: { Value: string } }[];
  assert.match(param.Properties.Value, /processors: \[span-metrics\]/);
});

test('a bad config fails synth naming the key path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-cdk-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'metrics_generator:\n  registry:\n    collection_intervall: 15s\n');
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  assert.throws(() => new MetricsGeneratorStack(app, 'Bad', { configFile: file }), /metrics_generator\.registry\.collection_intervall: unknown key/);
});
