// Where the Kafka event source mapping reports a batch it gives up on (retries exhausted or
// records too old): a new or existing SQS queue (the batch's topic, partition and offsets) or
// S3 bucket (the records themselves). Off by default: the ingest function only fails on faults
// worth retrying, and a batch given up on is missing from the counters for good.

import { Duration, Stack, Token, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { DlqDestinationConfig, IEventSourceDlq, IEventSourceMapping, IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** `sqs` or `s3` creates one; an object names an existing queue or bucket. */
export type OnFailure = 'sqs' | 's3' | { readonly queueArn: string } | { readonly bucketArn: string };

/** What failed records are kept for: long enough to notice the alarm and replay them. */
const KEEP_FAILED = Duration.days(14);

export interface OnFailureDestination {
  readonly destination: IEventSourceDlq;
  readonly queue?: Queue;
  readonly bucket?: Bucket;
}

export function onFailureDestination(
  scope: Construct,
  choice: OnFailure,
  removalPolicy: RemovalPolicy,
): OnFailureDestination {
  if (choice === 'sqs') {
    const queue = new Queue(scope, 'FailedBatches', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: KEEP_FAILED,
      removalPolicy,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the Kafka event source mapping; nothing consumes it automatically.',
    });
    return { destination: new SqsDlq(queue), queue };
  }
  if (choice === 's3') {
    const bucket = new Bucket(scope, 'FailedBatches', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: KEEP_FAILED }],
      removalPolicy,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only batches the event source mapping gave up on, written by the ingest role and expiring after 14 days; add access logging if your account policy requires it.',
    });
    return { destination: new S3FailedBatches(bucket), bucket };
  }
  if ('queueArn' in choice) {
    checkArn(choice.queueArn, /^arn:[a-z-]+:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/, 'an SQS queue ARN');
    return { destination: new SqsDlq(Queue.fromQueueArn(scope, 'FailedBatches', choice.queueArn)) };
  }
  checkArn(choice.bucketArn, /^arn:[a-z-]+:s3:::[a-z0-9.-]{3,63}$/, 'an S3 bucket ARN');
  return { destination: new S3FailedBatches(Bucket.fromBucketArn(scope, 'FailedBatches', choice.bucketArn)) };
}

/**
 * Like S3OnFailureDestination, but grants only what Lambda documents for an S3 destination
 * (s3:PutObject, s3:ListBucket) instead of read-write access to the whole bucket.
 */
class S3FailedBatches implements IEventSourceDlq {
  constructor(private readonly bucket: IBucket) {}

  bind(_mapping: IEventSourceMapping, handler: IFunction): DlqDestinationConfig {
    handler.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    handler.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    if (handler.role !== undefined) {
      Validations.of(handler.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${objectsPattern(this.bucket)}]`,
        reason:
          'Lambda names each failed-batch object itself, so the ingest role may put any key into this one bucket (and nothing else).',
      });
    }
    return { destination: this.bucket.bucketArn };
  }
}

/** How cdk-nag prints `<bucket ARN>/*` in a finding id: a bucket of this stack by its logical ID. */
function objectsPattern(bucket: IBucket): string {
  if (!Token.isUnresolved(bucket.bucketArn)) return `${bucket.bucketArn}/*`;
  const resource = bucket.node.defaultChild as CfnElement;
  return `<${Stack.of(bucket).resolve(resource.logicalId)}.Arn>/*`;
}

function checkArn(arn: string, pattern: RegExp, what: string): void {
  if (!Token.isUnresolved(arn) && !pattern.test(arn))
    throw new Error(`kafka.onFailure: must be "sqs", "s3" or ${what}, got "${arn}"`);
}
