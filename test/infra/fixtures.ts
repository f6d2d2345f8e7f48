// Shared stack fixtures for the infra tests: an MSK and a self-managed Kafka deployment, synthesized
// without bundling (context aws:cdk:bundling-stacks = []), so a template costs milliseconds.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { MskSourceProps, SelfManagedKafkaSourceProps } from '../../infra/kafka-props.ts';
import { MetricsGeneratorStack, type MetricsGeneratorStackProps } from '../../infra/metrics-generator-stack.ts';

export const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/traces/abcd1234-abcd-cafe-abab-9876543210ab-4';
export const SCRAM_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_generator-AbCdEf';
export const KAFKA_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-credentials-Zz9Yy8';
export const REMOTE_WRITE_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:remote-write-Qq1Ww2';
export const AMP_WORKSPACE_ARN = 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef';
export const CONFIG_FILE = 'config/metrics-generator.yaml';

export const MSK: MskSourceProps = { kind: 'msk', clusterArn: CLUSTER_ARN, topic: 'tempo-ingest' };
export const SELF_MANAGED: SelfManagedKafkaSourceProps = {
  kind: 'self-managed',
  bootstrapServers: ['b-1.kafka.internal:9096', 'b-2.kafka.internal:9096'],
  topic: 'otlp_spans',
  secretArn: KAFKA_SECRET_ARN,
  vpc: { vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0aaa', 'subnet-0bbb'], securityGroupId: 'sg-0ccc' },
};

/** A stack as `cdk synth` builds it, minus bundling (and minus the built-in template validation unless asked). */
export function stackOf(props: Partial<MetricsGeneratorStackProps> = {}, id = 'Test'): MetricsGeneratorStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new MetricsGeneratorStack(app, id, { configFile: CONFIG_FILE, kafka: MSK, ...props });
}

export function templateOf(props: Partial<MetricsGeneratorStackProps> = {}): Template {
  return Template.fromStack(stackOf(props));
}

/** Properties of the only resource of a type (fails when there are several or none). */
export function onlyResource(template: Template, type: string): Record<string, any> {
  const found = Object.values(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as { Properties: Record<string, any> }).Properties;
}

/** Every IAM statement of a role's policies, by the role's construct path fragment (Ingest or Flush). */
export function statementsOf(
  template: Template,
  fn: 'Ingest' | 'Flush',
): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const roles = template.findResources('AWS::IAM::Role');
  const roleIds = Object.keys(roles).filter((id) => id.startsWith(`Generator${fn}Role`));
  if (roleIds.length !== 1) throw new Error(`expected one ${fn} role, found ${roleIds.join(', ')}`);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: any[] } };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleIds[0]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: { Action: string | string[] }): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A config file in a temporary directory. */
export function configFileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-infra-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

/** The built-in CloudFormation schema validation adds seconds per process; the nag test runs it. */
export function skipTemplateValidation(): void {
  process.env.CDK_VALIDATION = 'false';
}

/** The objects a deploy of this stack seeds into its config bucket, by key. */
export function seededObjects(stack: MetricsGeneratorStack): Record<string, string> {
  return Object.fromEntries(stack.generator.config.store.seeded);
}
