// Where the deployed functions read their config: a versioned, encrypted, TLS-only bucket holding
// the main config and the per-tenant overrides file it names. The deploy seeds both objects; after
// that `msk-metrics-generator overrides push` (or any S3 upload) changes them without a deploy, and
// the functions re-read them every per_tenant_override_period. The bucket and key are published in
// an SSM parameter so the CLI finds them from the stack name.

import { type CfnElement, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { configLocationParameter } from '../lib/cli/overrides-push.ts';

/** Key of the main config object. */
export const CONFIG_KEY = 'config.yaml';

export interface ConfigBucketProps {
  /** The main config as shipped (metrics_generator and overrides blocks). */
  readonly mainText: string;
  /** The per-tenant overrides file, when the main config names one: its key (relative to the main object) and text. */
  readonly overrides?: { readonly key: string; readonly text: string };
  readonly removalPolicy: RemovalPolicy;
}

export class ConfigBucket extends Construct {
  readonly bucket: Bucket;
  readonly locationParameter: StringParameter;
  readonly configKey = CONFIG_KEY;
  /** What the deploy writes into the bucket, by key. */
  readonly seeded: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: ConfigBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Every pushed version is kept: a rollback is a copy of an older version.
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds two small config objects read by the functions; changes are versioned, and CloudTrail records the API calls, so server access logs add a log bucket without new information.',
    });

    this.seeded = new Map([
      [CONFIG_KEY, props.mainText],
      ...(props.overrides !== undefined ? [[props.overrides.key, props.overrides.text] as const] : []),
    ]);
    const sources = [...this.seeded].map(([key, text]) => Source.data(key, text));
    const seed = new BucketDeployment(this, 'Seed', {
      destinationBucket: this.bucket,
      sources,
      // Objects pushed since (other keys) stay; the deploy writes only the files it ships.
      prune: false,
      retainOnDelete: true,
      extract: true,
    });
    // The handler is CDK's own singleton function, a child of the stack.
    const handlers = Stack.of(this).node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const copyReason =
      "CDK's BucketDeployment handler (runs only during deploys) copies the seeded objects from the CDK asset bucket into this config bucket; aws-cdk-lib grants it these object-level wildcards.";
    for (const target of [seed, ...handlers]) {
      Validations.of(target).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's BucketDeployment handler uses the AWS managed basic execution role to write its own logs during the deploy.",
        },
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((a) => ({
          id: `AwsSolutions-IAM5[Action::${a}]`,
          reason: copyReason,
        })),
        { id: `AwsSolutions-IAM5[Resource::${this.objectsPattern()}]`, reason: copyReason },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          reason: copyReason,
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "CDK's BucketDeployment handler runtime is chosen and updated by aws-cdk-lib, not by this project; it runs only during deploys.",
        },
      );
    }

    this.locationParameter = new StringParameter(this, 'Location', {
      parameterName: configLocationParameter(Stack.of(this).stackName),
      description: 'msk-metrics-generator: bucket and key of the runtime config (read by `overrides push --stack`)',
      stringValue: Stack.of(this).toJsonString({ bucket: this.bucket.bucketName, configKey: CONFIG_KEY }),
    });
  }

  /** s3:GetObject on the config objects only: the functions read, never list or write. */
  grantConfigRead(role: Role): void {
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.objectsPattern()}]`,
      reason:
        'The functions read the main config and whichever overrides key it names (per_tenant_override_config can change at run time), so s3:GetObject covers the objects of this one bucket.',
    });
  }

  /** The bucket's objects as cdk-nag spells the resource in a finding. */
  private objectsPattern(): string {
    const resource = this.bucket.node.defaultChild as CfnElement;
    return `<${Stack.of(this).resolve(resource.logicalId)}.Arn>/*`;
  }
}
