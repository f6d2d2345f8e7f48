// Finding a stack's config bucket and uploading a validated overrides file to it. The stack
// publishes where its config lives in an SSM parameter (infra/config-bucket.ts), so `--stack NAME`
// needs only ssm:GetParameter, s3:GetObject on the main config and s3:PutObject on the overrides key.

import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { posix } from 'node:path';
import { perTenantOverrideConfigOf } from '../config/load.ts';
import { validateOverrides, type OverridesValidation } from './overrides-validate.ts';

export interface ConfigLocation {
  readonly bucket: string;
  /** Key of the main config object; the overrides key is what it names in per_tenant_override_config. */
  readonly configKey: string;
}

/** The SSM parameter a stack named `stack` writes its ConfigLocation to (JSON). */
export function configLocationParameter(stack: string): string {
  return `/msk-metrics-generator/${stack}/config-location`;
}

export async function findConfigLocation(
  stack: string,
  opts: { region?: string; ssm?: Pick<SSMClient, 'send'> } = {},
): Promise<ConfigLocation> {
  const ssm = opts.ssm ?? new SSMClient({ ...(opts.region !== undefined && { region: opts.region }) });
  const name = configLocationParameter(stack);
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (e) {
    throw new Error(
      `stack ${stack}: cannot read SSM parameter ${name} (is the stack deployed in this region?): ${(e as Error).message}`,
    );
  }
  const parsed = JSON.parse(value ?? '{}') as Partial<ConfigLocation>;
  if (typeof parsed.bucket !== 'string' || typeof parsed.configKey !== 'string')
    throw new Error(`SSM parameter ${name} does not hold a config location`);
  return { bucket: parsed.bucket, configKey: parsed.configKey };
}

export function s3Client(opts: { region?: string; endpoint?: string }): S3Client {
  return new S3Client({
    ...(opts.region !== undefined && { region: opts.region }),
    ...(opts.endpoint !== undefined && { endpoint: opts.endpoint, forcePathStyle: true }),
  });
}

/**
 * Reads the deployed main config, validates `text` as the overrides file it names (against its
 * global settings), and uploads it there. Nothing is uploaded when validation fails.
 */
export async function pushOverrides(
  s3: Pick<S3Client, 'send'>,
  at: ConfigLocation,
  text: string,
  source: string,
  onValid: (v: OverridesValidation) => void = () => {},
): Promise<{ key: string; versionId?: string }> {
  const mainOut = await s3.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.configKey }));
  const mainText = (await mainOut.Body?.transformToString('utf8')) ?? '';
  const named = perTenantOverrideConfigOf(mainText);
  const mainUrl = `s3://${at.bucket}/${at.configKey}`;
  if (named === undefined)
    throw new Error(
      `${mainUrl} sets no overrides.per_tenant_override_config: the functions would not read an overrides file`,
    );
  onValid(validateOverrides(text, source, { path: mainUrl, text: mainText }));
  const key = posix.resolve('/', posix.dirname(at.configKey), named).slice(1);
  const out = await s3.send(
    new PutObjectCommand({ Bucket: at.bucket, Key: key, Body: text, ContentType: 'application/yaml' }),
  );
  return { key, ...(out.VersionId !== undefined && { versionId: out.VersionId }) };
}
