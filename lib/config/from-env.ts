// Where a Lambda function finds its configuration: CONFIG_BUCKET + CONFIG_KEY (an S3 object and
// the per-tenant overrides object it names, re-read every per_tenant_override_period: see
// docs/deploy.md), CONFIG (inline YAML or JSON), CONFIG_PARAMETER (an SSM parameter name, read
// once per container), or CONFIG_FILE (a path, re-read like the S3 objects). With none of them,
// Tempo's defaults apply (which enable no processors).

import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readEnv } from '../env/contract.ts';
import { ConfigSource, type ConfigSourceOptions } from './config-source.ts';
import { fileConfigFetcher } from './file-config-fetcher.ts';
import type { GeneratorConfig } from './types.ts';
import { parseConfig } from './load.ts';
import { s3ConfigFetcher } from './s3-config-fetcher.ts';

export interface ConfigClients {
  readonly ssm?: Pick<SSMClient, 'send'>;
  readonly s3?: Pick<S3Client, 'send'>;
}

export async function loadConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  ssm?: Pick<SSMClient, 'send'>,
): Promise<GeneratorConfig> {
  return (await configSourceFromEnv(env, { ssm })).config;
}

/** The config source the environment names; the first read fails the start when the config is bad. */
export async function configSourceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  clients: ConfigClients = {},
  opts: ConfigSourceOptions = {},
): Promise<ConfigSource> {
  const bucket = readEnv(env, 'CONFIG_BUCKET');
  const key = readEnv(env, 'CONFIG_KEY');
  if (bucket !== undefined || key !== undefined) {
    if (bucket === undefined || key === undefined) throw new Error('CONFIG_BUCKET and CONFIG_KEY must be set together');
    const s3 = clients.s3 ?? new S3Client({});
    return ConfigSource.start(s3ConfigFetcher(s3, { bucket, key }), opts);
  }
  const inline = readEnv(env, 'CONFIG');
  if (inline !== undefined) return ConfigSource.fixed(parseConfig(inline, { source: 'CONFIG' }));
  const parameter = readEnv(env, 'CONFIG_PARAMETER');
  if (parameter !== undefined) {
    const client = clients.ssm ?? new SSMClient({});
    const out = await client.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    const text = out.Parameter?.Value;
    if (text === undefined) throw new Error(`CONFIG_PARAMETER ${parameter}: parameter has no value`);
    return ConfigSource.fixed(parseConfig(text, { source: `SSM parameter ${parameter}` }));
  }
  const file = readEnv(env, 'CONFIG_FILE');
  if (file !== undefined) return ConfigSource.start(fileConfigFetcher(file), opts);
  return ConfigSource.fixed(parseConfig('', { source: 'defaults' }));
}
