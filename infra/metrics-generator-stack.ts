// The deployable stack. So far it validates the Tempo-style config at synth time with the same
// validator the functions use and ships it as an SSM parameter; the Kafka event source, tables
// and functions arrive with the ingest and flush work (see README feature status).

import { readFileSync } from 'node:fs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter, ParameterTier } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { parseConfig } from '../lib/config/index.ts';
import { dirname, resolve } from 'node:path';

export interface MetricsGeneratorStackProps extends StackProps {
  /** Path of the Tempo-style YAML/JSON config file. */
  readonly configFile: string;
}

export class MetricsGeneratorStack extends Stack {
  readonly configParameter: StringParameter;

  constructor(scope: Construct, id: string, props: MetricsGeneratorStackProps) {
    super(scope, id, props);
    const path = resolve(props.configFile);
    const text = readFileSync(path, 'utf8');
    // Fails synth with the offending key path, e.g. "metrics_generator.registry.foo: unknown key".
    parseConfig(text, { baseDir: dirname(path), source: props.configFile });
    this.configParameter = new StringParameter(this, 'Config', {
      description: 'msk-metrics-generator configuration (Tempo metrics_generator + overrides)',
      stringValue: text,
      tier: text.length > 4096 ? ParameterTier.ADVANCED : ParameterTier.STANDARD,
    });
    new CfnOutput(this, 'ConfigParameterName', { value: this.configParameter.parameterName });
  }
}
