// The Tempo-style config file and the per-tenant overrides file it names, validated at synth with
// the validator the functions run (lib/config parseConfig) plus the deploy-only checks, and
// shipped to the config bucket (config-bucket.ts), where the functions re-read them at run time.
// A bad file fails `cdk synth` with the offending key path.

import { createHash } from 'node:crypto';
import { dirname, relative, resolve, sep } from 'node:path';
import { Annotations, type RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConfigError, configBlocksOnly, parseConfig } from '../lib/config/index.ts';
import { readConfigText } from '../lib/config/read-file.ts';
import { ConfigBucket } from './config-bucket.ts';
import { checkDeployConfig, type DeployConfigFindings } from './deploy-config-checks.ts';

export interface DeployedConfigProps {
  /** Path of the YAML/JSON config file (relative to the working directory). */
  readonly configFile: string;
  readonly removalPolicy: RemovalPolicy;
}

export class DeployedConfig extends Construct {
  readonly store: ConfigBucket;
  readonly findings: DeployConfigFindings;
  /** First 12 hex digits of the SHA-256 of what the deploy ships (main config and overrides file). */
  readonly digest: string;

  constructor(scope: Construct, id: string, props: DeployedConfigProps) {
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
    // Reads and validates the per-tenant overrides file too, as the functions will.
    const parsed = parseConfig(text, {
      baseDir: dirname(path),
      source: props.configFile,
      warn: (m) => warnings.push(m),
      info: (m) => infos.push(m),
    });
    this.findings = checkDeployConfig(text, props.configFile);
    if (this.findings.errors.length > 0) throw this.findings.errors[0];

    // A whole tempo.yaml ships only the blocks the functions read (values cut out as written).
    const shipped = configBlocksOnly(text);
    let overrides: { key: string; text: string } | undefined;
    if (parsed.perTenantOverrideFile !== undefined) {
      const key = relative(dirname(path), parsed.perTenantOverrideFile).split(sep).join('/');
      if (key.startsWith('../')) {
        throw new ConfigError(
          'overrides.per_tenant_override_config',
          "must be in the config file's directory or below it (it becomes a key next to config.yaml in the config bucket)",
          props.configFile,
        );
      }
      overrides = { key, text: readConfigText(parsed.perTenantOverrideFile) };
    }
    for (const m of infos) Annotations.of(this).addInfo(`${props.configFile}: ${m}`);
    for (const w of [...warnings, ...this.findings.warnings])
      Annotations.of(this).addWarningV2('msk-metrics-generator:config', w);
    if (this.findings.remoteWriteEndpoints === 0) {
      Annotations.of(this).addWarningV2(
        'msk-metrics-generator:no-remote-write',
        `${props.configFile}: metrics_generator.storage.remote_write is empty, so series are computed and kept but sent nowhere`,
      );
    }

    this.digest = createHash('sha256')
      .update(shipped)
      .update('\0')
      .update(overrides?.text ?? '')
      .digest('hex')
      .slice(0, 12);
    this.store = new ConfigBucket(this, 'Store', { mainText: shipped, overrides, removalPolicy: props.removalPolicy });
  }
}
