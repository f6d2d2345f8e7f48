// CDK app entry (cdk.json points here). The deployment comes from `-c key=value` settings and/or
// a JSON file (`-c stackConfig=deploy.json`); see docs/deploy.md for every key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { settingsFromContext } from './context-settings.ts';
import { REPO_ROOT } from './functions.ts';
import { MetricsGeneratorStack } from './metrics-generator-stack.ts';

const app = new App();
try {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const { stackName, props } = settingsFromContext({
    context: app.node.getAllContext(),
    cdkJsonContext: cdkJson.context ?? {},
  });
  new MetricsGeneratorStack(app, stackName, props);
} catch (e) {
  // A bad setting or config key: the message names it; the stack trace would only bury it.
  if (process.env.CDK_DEBUG === 'true' || !(e instanceof Error)) throw e;
  console.error(`msk-metrics-generator: ${e.message}`);
  process.exit(1);
}
app.synth();
