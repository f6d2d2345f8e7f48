// The two Lambda functions, bundled from functions/*.ts with the local esbuild (no Docker), so
// `cdk synth` works offline on a fresh clone. Each function gets its own role (no managed policy:
// the stack grants exactly what each one uses) and its own log group with a retention.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * esbuild settings shared by both functions (and by the bundle test, so it checks what ships).
 * ESM because the handlers are ES modules; the banner gives bundled CommonJS dependencies
 * (protobufjs, snappyjs, parts of the AWS SDK) the `require` they call for Node built-ins, which
 * an ES module does not have.
 */
export const BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __mmgCreateRequire } from 'node:module'; const require = __mmgCreateRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // The SDK version the code is tested with ships in the bundle; the runtime's copy changes under us.
  bundleAwsSDK: true,
};

export interface GeneratorFunctionProps {
  /** Path of the handler module, relative to the repository root (e.g. functions/ingest.ts). */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Every variable the function gets (lib/env/contract.ts deployedEnvironment builds it). */
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly reservedConcurrentExecutions?: number;
  /** Asynchronous invocations (the flush schedule): how often a failed event is retried. */
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
}

/** One handler as a Node.js 22 arm64 function with its own role and log group. */
export class GeneratorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GeneratorFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description}: execution role`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      // Graviton: the same work for about 20% less per GB-second than x86_64.
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      bundling: BUNDLING,
      ...(props.reservedConcurrentExecutions !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      }),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
      ...(props.maxEventAge !== undefined && { maxEventAge: props.maxEventAge }),
    });
  }
}
