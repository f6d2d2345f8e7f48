// The Kafka event source mapping of the ingest function: Amazon MSK (IAM auth by default,
// SASL/SCRAM or mTLS) or self-managed Kafka (SASL/SCRAM, SASL/PLAIN, mTLS or none inside a VPC),
// and the IAM statements the mapping's pollers need (they connect with the function's role),
// scoped to the one cluster, topic and group. The settings are in kafka-props.ts.

import { Fn, Stack, Token, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import {
  type CfnEventSourceMapping,
  EventSourceMapping,
  SourceAccessConfigurationType,
  StartingPosition,
  type IFunction,
} from 'aws-cdk-lib/aws-lambda';
import {
  AuthenticationMethod,
  ManagedKafkaEventSource,
  SelfManagedKafkaEventSource,
  type KafkaEventSourceProps,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import {
  KAFKA_DEFAULTS,
  validateConsumerGroupId,
  validateKafkaProps,
  type KafkaAuth,
  type KafkaSourceProps,
  type MskSourceProps,
  type SelfManagedKafkaSourceProps,
} from './kafka-props.ts';
import { onFailureDestination, type OnFailureDestination } from './on-failure.ts';
import { secretFromArn, type ReferencedSecret } from './secrets.ts';

export interface KafkaSourceOptions {
  readonly function: IFunction;
  readonly role: Role;
  readonly defaultConsumerGroupId: string;
  readonly removalPolicy: RemovalPolicy;
}

export class KafkaSource extends Construct {
  readonly consumerGroupId: string;
  readonly onFailure?: OnFailureDestination;
  readonly mapping: CfnEventSourceMapping;

  constructor(scope: Construct, id: string, props: KafkaSourceProps, options: KafkaSourceOptions) {
    super(scope, id);
    validateKafkaProps(props);
    this.consumerGroupId = props.consumerGroupId ?? options.defaultConsumerGroupId;
    validateConsumerGroupId(this.consumerGroupId);
    if (props.onFailure !== undefined)
      this.onFailure = onFailureDestination(this, props.onFailure, options.removalPolicy);

    const secret =
      props.secretArn === undefined
        ? undefined
        : secretFromArn(this, 'Secret', {
            arn: props.secretArn,
            arnKey: 'kafka.secretArn',
            kmsKeyArn: props.secretKmsKeyArn,
            kmsKeyArnKey: 'kafka.secretKmsKeyArn',
          });
    const common = this.commonProps(props);
    if (props.kind === 'msk') this.bindMsk(props, common, secret, options);
    else this.bindSelfManaged(props, common, secret, options);

    const mapping = options.function.node.children.find(
      (c): c is EventSourceMapping => c instanceof EventSourceMapping,
    );
    if (mapping === undefined) throw new Error('the Kafka event source mapping was not created');
    this.mapping = mapping.node.defaultChild as CfnEventSourceMapping;
    if (props.kind === 'msk' && props.auth === 'mtls' && secret !== undefined) {
      // ManagedKafkaEventSource only knows SASL/SCRAM secrets; mTLS is the same secret with another type.
      this.mapping.sourceAccessConfigurations = [
        { type: SourceAccessConfigurationType.CLIENT_CERTIFICATE_TLS_AUTH.type, uri: secret.secret.secretArn },
      ];
    }
  }

  private commonProps(props: KafkaSourceProps): KafkaEventSourceProps {
    const p = props.provisionedPollers;
    return {
      topic: props.topic,
      consumerGroupId: this.consumerGroupId,
      startingPosition: StartingPosition[props.startingPosition ?? KAFKA_DEFAULTS.startingPosition],
      ...(props.startingPositionTimestamp !== undefined && {
        startingPositionTimestamp: props.startingPositionTimestamp,
      }),
      batchSize: props.batchSize ?? KAFKA_DEFAULTS.batchSize,
      maxBatchingWindow: props.maxBatchingWindow ?? KAFKA_DEFAULTS.maxBatchingWindow,
      ...(p !== undefined && {
        provisionedPollerConfig: {
          ...(p.minimum !== undefined && { minimumPollers: p.minimum }),
          ...(p.maximum !== undefined && { maximumPollers: p.maximum }),
        },
      }),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
      ...(props.bisectBatchOnError !== undefined && { bisectBatchOnError: props.bisectBatchOnError }),
      ...(props.maxRecordAge !== undefined && { maxRecordAge: props.maxRecordAge }),
      ...(this.onFailure !== undefined && { onFailure: this.onFailure.destination }),
    };
  }

  private bindMsk(
    props: MskSourceProps,
    common: KafkaEventSourceProps,
    secret: ReferencedSecret | undefined,
    options: KafkaSourceOptions,
  ): void {
    const auth = props.auth ?? 'iam';
    if (!['iam', 'sasl-scram-512', 'mtls'].includes(auth))
      throw new Error(`kafka.auth: MSK supports iam, sasl-scram-512 or mtls, got "${auth}"`);
    if (auth === 'iam' && secret !== undefined)
      throw new Error(
        'kafka.secretArn: not used with kafka.auth iam (the function role authenticates); remove it or set kafka.auth',
      );
    if (auth !== 'iam' && secret === undefined) throw new Error(`kafka.secretArn: required with kafka.auth ${auth}`);
    if (
      auth === 'sasl-scram-512' &&
      !Token.isUnresolved(props.secretArn!) &&
      !/:secret:AmazonMSK_/.test(props.secretArn!)
    ) {
      throw new Error('kafka.secretArn: MSK only accepts SASL/SCRAM secrets whose name starts with AmazonMSK_');
    }
    // For mTLS the secret is bound below with its own type; handing it over here would mark it SASL/SCRAM.
    options.function.addEventSource(
      new ManagedKafkaEventSource({
        ...common,
        clusterArn: props.clusterArn,
        ...(auth === 'sasl-scram-512' && { secret: secret!.secret }),
      }),
    );
    // The event source grants a SASL/SCRAM secret itself (but not its customer managed key).
    if (auth === 'mtls') secret!.grantRead(options.role);
    else secret?.grantDecrypt(options.role);
    if (auth === 'iam') this.grantMskIamAccess(props, options.role);
    Validations.of(options.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole]',
      reason:
        'ManagedKafkaEventSource attaches AWSLambdaMSKExecutionRole: the event pollers create network interfaces in the cluster VPC and describe it with this role; the EC2 describe actions it needs cannot be scoped to resources.',
    });
  }

  /** MSK IAM access control: connect to the one cluster, read the one topic, commit in the one group. */
  private grantMskIamAccess(props: MskSourceProps, role: Role): void {
    const { topic, group } = mskResourceArns(props.clusterArn, props.topic, this.consumerGroupId);
    role.addToPolicy(
      new PolicyStatement({
        actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
        resources: [props.clusterArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'], resources: [topic] }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], resources: [group] }),
    );
  }

  private bindSelfManaged(
    props: SelfManagedKafkaSourceProps,
    common: KafkaEventSourceProps,
    secret: ReferencedSecret | undefined,
    options: KafkaSourceOptions,
  ): void {
    const auth = props.auth ?? (secret !== undefined ? 'sasl-scram-512' : 'none');
    const methods: Record<Exclude<KafkaAuth, 'iam' | 'none'>, AuthenticationMethod> = {
      'sasl-scram-512': AuthenticationMethod.SASL_SCRAM_512_AUTH,
      'sasl-scram-256': AuthenticationMethod.SASL_SCRAM_256_AUTH,
      'sasl-plain': AuthenticationMethod.BASIC_AUTH,
      mtls: AuthenticationMethod.CLIENT_CERTIFICATE_TLS_AUTH,
    };
    if (auth !== 'none' && !(auth in methods))
      throw new Error(
        `kafka.auth: self-managed Kafka supports sasl-scram-512, sasl-scram-256, sasl-plain, mtls or none, got "${auth}"`,
      );
    if (auth !== 'none' && secret === undefined) throw new Error(`kafka.secretArn: required with kafka.auth ${auth}`);
    if (auth === 'none' && secret !== undefined)
      throw new Error('kafka.secretArn: not used with kafka.auth none; remove it or set kafka.auth');
    if (auth === 'none' && props.vpc === undefined) {
      throw new Error(
        'kafka.auth: none is only allowed for brokers inside a VPC (set kafka.vpc); brokers reached over the internet need credentials',
      );
    }
    const rootCa =
      props.rootCaSecretArn === undefined
        ? undefined
        : secretFromArn(this, 'RootCa', { arn: props.rootCaSecretArn, arnKey: 'kafka.rootCaSecretArn' });

    let network: Pick<
      ConstructorParameters<typeof SelfManagedKafkaEventSource>[0],
      'vpc' | 'vpcSubnets' | 'securityGroup'
    > = {};
    if (props.vpc !== undefined) {
      const { vpcId, subnetIds, securityGroupId } = props.vpc;
      network = {
        // Only the subnets and security group below are used; the zones are the stack's (no lookup).
        vpc: Vpc.fromVpcAttributes(this, 'Vpc', { vpcId, availabilityZones: Stack.of(this).availabilityZones }),
        vpcSubnets: { subnets: subnetIds.map((s, i) => importedSubnet(this, `Subnet${i}`, s)) },
        securityGroup: SecurityGroup.fromSecurityGroupId(this, 'SecurityGroup', securityGroupId),
      };
      this.grantVpcAccess(props.vpc, options.role);
    }
    options.function.addEventSource(
      new SelfManagedKafkaEventSource({
        ...common,
        bootstrapServers: [...props.bootstrapServers],
        ...(auth !== 'none' && { secret: secret!.secret, authenticationMethod: methods[auth] }),
        ...(rootCa !== undefined && { rootCACertificate: rootCa.secret }),
        ...network,
      }),
    );
    secret?.grantDecrypt(options.role);
    rootCa?.grantRead(options.role);
  }

  /** The pollers reach brokers inside a VPC through network interfaces they create with this role. */
  private grantVpcAccess(vpc: NonNullable<SelfManagedKafkaSourceProps['vpc']>, role: Role): void {
    const stack = Stack.of(this);
    const ec2 = (resource: string, id: string) => stack.formatArn({ service: 'ec2', resource, resourceName: id });
    const networkInterfaces = ec2('network-interface', '*');
    role.addToPolicy(
      new PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          networkInterfaces,
          ...vpc.subnetIds.map((s) => ec2('subnet', s)),
          ec2('security-group', vpc.securityGroupId),
        ],
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['ec2:DeleteNetworkInterface'], resources: [networkInterfaces] }));
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
        ],
        resources: ['*'],
      }),
    );
    const reason =
      'Event pollers for a self-managed Kafka in a VPC create and delete their own network interfaces (IDs unknown before they exist) and use EC2 describe actions, which support no resource-level permissions.';
    Validations.of(role).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
        reason,
      },
    );
  }
}

/** A subnet by ID; only its ID reaches the mapping, so its route table is never needed. */
function importedSubnet(scope: Construct, id: string, subnetId: string) {
  const subnet = Subnet.fromSubnetId(scope, id, subnetId);
  Validations.of(subnet).acknowledge({
    id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
    reason:
      'The event source mapping uses only the subnet ID; nothing reads the route table of these imported subnets.',
  });
  return subnet;
}

/** Topic and consumer-group ARNs of an MSK cluster (`cluster/<name>/<uuid>` → `topic/<name>/<uuid>/<topic>`). */
export function mskResourceArns(clusterArn: string, topic: string, group: string): { topic: string; group: string } {
  if (!Token.isUnresolved(clusterArn)) {
    return {
      topic: `${clusterArn.replace(':cluster/', ':topic/')}/${topic}`,
      group: `${clusterArn.replace(':cluster/', ':group/')}/${group}`,
    };
  }
  const [prefix, rest] = [
    Fn.select(0, Fn.split(':cluster/', clusterArn)),
    Fn.select(1, Fn.split(':cluster/', clusterArn)),
  ];
  return {
    topic: Fn.join('', [prefix, ':topic/', rest, '/', topic]),
    group: Fn.join('', [prefix, ':group/', rest, '/', group]),
  };
}
