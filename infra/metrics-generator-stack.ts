// The deployable stack: one MetricsGenerator and the names an operator needs as outputs.

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { MetricsGenerator, type MetricsGeneratorProps } from './metrics-generator.ts';

export interface MetricsGeneratorStackProps extends StackProps, MetricsGeneratorProps {}

export class MetricsGeneratorStack extends Stack {
  readonly generator: MetricsGenerator;

  constructor(scope: Construct, id: string, props: MetricsGeneratorStackProps) {
    super(scope, id, props);
    const g = (this.generator = new MetricsGenerator(this, 'Generator', props));
    new CfnOutput(this, 'DeltasTableName', { value: g.deltasTable.tableName });
    new CfnOutput(this, 'SeriesTableName', { value: g.seriesTable.tableName });
    new CfnOutput(this, 'ConfigBucketName', { value: g.config.store.bucket.bucketName });
    new CfnOutput(this, 'ConfigLocationParameterName', { value: g.config.store.locationParameter.parameterName });
    new CfnOutput(this, 'IngestFunctionName', { value: g.ingest.function.functionName });
    new CfnOutput(this, 'FlushFunctionName', { value: g.flush.function.functionName });
    new CfnOutput(this, 'KafkaConsumerGroupId', { value: g.kafkaSource.consumerGroupId });
    new CfnOutput(this, 'DashboardName', { value: g.monitoring.dashboard.dashboardName });
  }
}
