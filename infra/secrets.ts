// Existing Secrets Manager secrets (and their KMS keys) referenced by ARN. The stack never creates
// a secret or holds a secret value: it only lets a function role read the named one.

import { Aws, Token } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

const COMPLETE_SECRET_ARN = /^arn:[a-z-]+:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

export interface SecretReference {
  readonly arn: string;
  /** Name of the setting holding the ARN, for error messages (e.g. `kafka.secretArn`). */
  readonly arnKey: string;
  /** The customer managed key the secret is encrypted with, when not the AWS managed key. */
  readonly kmsKeyArn?: string;
  readonly kmsKeyArnKey?: string;
}

export interface ReferencedSecret {
  readonly secret: ISecret;
  /** Lets the grantee read the secret (and decrypt it with its key, through Secrets Manager only). */
  grantRead(grantee: IGrantable): void;
  /** Only the key part, for when something else (an event source) grants the secret itself. */
  grantDecrypt(grantee: IGrantable): void;
}

/**
 * A secret by its complete ARN (with the 6-character suffix Secrets Manager appends), so a grant
 * names exactly that secret rather than every secret sharing its name prefix.
 */
export function secretFromArn(scope: Construct, id: string, ref: SecretReference): ReferencedSecret {
  const { arn, kmsKeyArn } = ref;
  if (!Token.isUnresolved(arn) && !COMPLETE_SECRET_ARN.test(arn)) {
    throw new Error(
      `${ref.arnKey}: must be the complete ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), got "${arn}"`,
    );
  }
  if (kmsKeyArn !== undefined && !Token.isUnresolved(kmsKeyArn) && !KMS_KEY_ARN.test(kmsKeyArn)) {
    throw new Error(
      `${ref.kmsKeyArnKey ?? 'kmsKeyArn'}: must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${kmsKeyArn}"`,
    );
  }
  const secret = Secret.fromSecretCompleteArn(scope, id, arn);
  const region = Token.isUnresolved(arn) ? Aws.REGION : COMPLETE_SECRET_ARN.exec(arn)![1];
  const grantDecrypt = (grantee: IGrantable) => {
    if (kmsKeyArn === undefined) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [kmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
    );
  };
  return {
    secret,
    grantDecrypt,
    grantRead: (grantee) => {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }),
      );
      grantDecrypt(grantee);
    },
  };
}
