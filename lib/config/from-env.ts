// Where a Lambda function finds its configuration (DESIGN "Environment"): CONFIG (inline YAML or
// JSON), CONFIG_PARAMETER (an SSM parameter name, read once per container), or CONFIG_FILE (a
// path, e.g. a file bundled with the function). With none of them, Tempo's defaults apply
// (which enable no processors).

import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { dirname } from 'node:path';
import type { GeneratorConfig } from './types.ts';
import { parseConfig } from './load.ts';
import { readConfigText } from './read-file.ts';

export async function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env, ssm?: Pick<SSMClient, 'send'>): Promise<GeneratorConfig> {
  if (env.CONFIG !== undefined && env.CONFIG !== '') return parseConfig(env.CONFIG, { source: 'CONFIG' });
  if (env.CONFIG_PARAMETER !== undefined && env.CONFIG_PARAMETER !== '') {
    const client = ssm ?? new SSMClient({});
    const out = await client.send(new GetParameterCommand({ Name: env.CONFIG_PARAMETER, WithDecryption: true }));
    const text = out.Parameter?.Value;
    if (text === undefined) throw new Error(`CONFIG_PARAMETER ${env.CONFIG_PARAMETER}: parameter has no value`);
    return parseConfig(text, { source: `SSM parameter ${env.CONFIG_PARAMETER}` });
  }
  if (env.CONFIG_FILE !== undefined && env.CONFIG_FILE !== '') {
    return parseConfig(readConfigText(env.CONFIG_FILE), { baseDir: dirname(env.CONFIG_FILE), source: env.CONFIG_FILE });
  }
  return parseConfig('', { source: 'defaults' });
}
