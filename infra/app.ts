// CDK app entry (cdk.json points here). Context: -c configFile=<path> (default in cdk.json).
import { App } from 'aws-cdk-lib';
import { MetricsGeneratorStack } from './metrics-generator-stack.ts';

const app = new App();
new MetricsGeneratorStack(app, 'MskMetricsGenerator', {
  configFile: app.node.tryGetContext('configFile') ?? 'config/metrics-generator.yaml',
});
app.synth();
