// The Tempo-style config file, validated at synth with the validator the functions run
// (lib/config parseConfig) plus the deploy-only checks, and shipped to both functions as one SSM
// parameter (CONFIG_PARAMETER). A bad file fails `cdk synth` with the offending key path.

import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { Annotations } from 'aws-cdk-lib';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ConfigError, configBlocksOnly, parseConfig } from '../lib/config/index.ts';
import { readConfigText } from '../lib/config/read-file.ts';
import { checkDeployConfig, type DeployConfigFindings } from './deploy-config-checks.ts';

/** SSM limits: 4 KB in the standard tier, 8 KB in the advanced tier ($0.05 per month). */
const STANDARD_MAX_BYTES = 4096;
const ADVANCED_MAX_BYTES = 8192;

export interface ConfigParameterProps {
  /** Path of the YAML/JSON config file (relative to the working directory). */
  readonly configFile: string;
}

export class ConfigParameter extends Construct {
  readonly parameter: StringParameter;
  readonly findings: DeployConfigFindings;
  /** First 12 hex digits of the file's SHA-256: a config change redeploys the functions. */
  readonly digest: string;

  constructor(scope: Construct, id: string, props: ConfigParameterProps) {
    super(scope, id);
    const path = resolve(props.configFile);
    let text: string;
    try {
      text = readConfigText(path);
    } catch (e) {
      throw new ConfigError('', `cannot read config file: ${(e as Error).message}`, props.configFile);
    }
    const warnings: string[] = [];
    const infos: string[] = [];
    parseConfig(text, { baseDir: dirname(path), source: props.configFile, warn: (m) => warnings.push(m), info: (m) => infos.push(m) });
    this.findings = checkDeployConfig(text, props.configFile);
    if (this.findings.errors.length > 0) throw this.findings.errors[0];

    // A whole tempo.yaml ships only the blocks the functions read (values cut out as written).
    const shipped = configBlocksOnly(text);
    const bytes = Buffer.byteLength(shipped, 'utf8');
    if (bytes > ADVANCED_MAX_BYTES) {
      const what = shipped === text ? 'the file is' : 'its metrics_generator and overrides blocks are';
      throw new ConfigError('', `${what} ${bytes} bytes; an SSM parameter holds at most ${ADVANCED_MAX_BYTES}`, props.configFile);
    }
    for (const m of infos) Annotations.of(this).addInfo(`${props.configFile}: ${m}`);
    for (const w of [...warnings, ...this.findings.warnings]) Annotations.of(this).addWarningV2('msk-metrics-generator:config', w);
    if (this.findings.remoteWriteEndpoints === 0) {
      Annotations.of(this).addWarningV2(
        'msk-metrics-generator:no-remote-write',
        `${props.configFile}: metrics_generator.storage.remote_write is empty, so series are computed and kept but sent nowhere`,
      );
    }

    this.digest = createHash('sha256').update(shipped).digest('hex').slice(0, 12);
    this.parameter = new StringParameter(this, 'Parameter', {
      description: 'msk-metrics-generator configuration (Tempo metrics_generator + overrides)',
      stringValue: shipped,
      tier: bytes > STANDARD_MAX_BYTES ? ParameterTier.ADVANCED : ParameterTier.STANDARD,
    });
  }
}
