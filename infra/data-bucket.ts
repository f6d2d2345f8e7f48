// The data bucket: bytes too large to be cheap as DynamoDB items. `deltas/` holds the large
// deltas (the claim check: the delta item names the object, with its size and CRC-32), `state/`
// the flusher's saved state. Encrypted, private, TLS only, not versioned (every key is written
// once, and a noncurrent version of an expired delta would only be billed storage). One lifecycle
// rule expires `deltas/` after the delta TTL, as DynamoDB expires the items that point to them;
// `state/` has no rule: the flusher deletes superseded state itself and the current state must
// never expire.

import { Duration, type RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export const DELTAS_PREFIX = 'deltas/';
export const STATE_PREFIX = 'state/';

export interface DataBucketProps {
  /** Lifetime of delta items (days); objects under deltas/ expire after it, rounded up to whole days. */
  readonly deltaTtlDays: number;
  readonly removalPolicy: RemovalPolicy;
}

export class DataBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
      lifecycleRules: [
        { id: 'expire-deltas', prefix: DELTAS_PREFIX, expiration: Duration.days(Math.ceil(props.deltaTtlDays)) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Written and read only by the two functions of this stack under keys they derive from DynamoDB items; CloudTrail records the API calls, and access logs would cost a log object per delta for no new information.',
    });
  }

  /** Ingest: PutObject on deltas/* only (it writes each large delta once, never reads or lists). */
  grantDeltaWrite(role: Role): void {
    this.grant(
      role,
      ['s3:PutObject'],
      DELTAS_PREFIX,
      'The ingest function writes each large delta under deltas/<topic>/<partition>/<offsets>-<attempt>, a key it makes per attempt, so PutObject covers that prefix.',
    );
  }

  /** Flusher: GetObject on deltas/* (it folds the large deltas the items name). */
  grantDeltaRead(role: Role): void {
    this.grant(
      role,
      ['s3:GetObject'],
      DELTAS_PREFIX,
      'The flusher reads the large deltas the committed delta items name, anywhere under deltas/, so GetObject covers that prefix.',
    );
  }

  /** Flusher: Get/Put/DeleteObject on state/* (saves state, loads it, deletes superseded state). */
  grantStateReadWrite(role: Role): void {
    this.grant(
      role,
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      STATE_PREFIX,
      'The flusher saves its state under state/<epoch>/<attempt>/<part>, loads the current epoch and deletes superseded ones, so these object actions cover that prefix.',
    );
  }

  private grant(role: Role, actions: string[], prefix: string, reason: string): void {
    role.addToPolicy(new PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${prefix}*`)] }));
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${this.objectsPattern(prefix)}]`, reason });
  }

  /** Objects under a prefix as cdk-nag spells the resource in a finding. */
  private objectsPattern(prefix: string): string {
    const resource = this.bucket.node.defaultChild as CfnElement;
    return `<${Stack.of(this).resolve(resource.logicalId)}.Arn>/${prefix}*`;
  }
}
