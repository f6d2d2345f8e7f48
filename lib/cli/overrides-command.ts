// `overrides validate FILE` and `overrides push FILE --stack NAME`: the runtime overrides file
// (Tempo's per_tenant_override_config format) checked with the loader the functions run, then
// uploaded to the stack's config bucket, where both functions pick it up within
// per_tenant_override_period (see docs/deploy.md).

import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { readConfigText } from '../config/read-file.ts';
import { validateOverrides, type OverridesValidation } from './overrides-validate.ts';
import { findConfigLocation, pushOverrides, s3Client, type ConfigLocation } from './overrides-push.ts';

const USAGE = `usage:
  msk-metrics-generator overrides validate FILE [--config MAIN]
  msk-metrics-generator overrides push FILE (--stack NAME | --bucket B --key K) [--region R] [--endpoint URL]
`;

export async function runOverrides(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = defaultIo,
): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        config: { type: 'string', short: 'c' },
        stack: { type: 'string' },
        bucket: { type: 'string' },
        key: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    io.err(`overrides: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if ((sub !== 'validate' && sub !== 'push') || positionals.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const file = positionals[0];
  try {
    const text = readConfigText(file);
    if (sub === 'validate') {
      report(
        validateOverrides(
          text,
          file,
          values.config === undefined ? undefined : { path: values.config, text: readConfigText(values.config) },
        ),
        io,
      );
      io.out(`${file}: valid\n`);
      return 0;
    }
    const client = s3Client({ region: values.region, endpoint: values.endpoint });
    let location: ConfigLocation;
    if (values.bucket !== undefined && values.key !== undefined)
      location = { bucket: values.bucket, configKey: values.key };
    else if (values.stack !== undefined) location = await findConfigLocation(values.stack, { region: values.region });
    else {
      io.err(`overrides push: --stack NAME (or --bucket and --key) is required\n${USAGE}`);
      return 2;
    }
    const pushed = await pushOverrides(client, location, text, file, (v) => report(v, io));
    io.out(
      `${file}: valid; uploaded to s3://${location.bucket}/${pushed.key} (version ${pushed.versionId ?? 'unversioned'})\n`,
    );
    return 0;
  } catch (e) {
    // ConfigError messages start with the key path and end with the file; others name the object or parameter.
    io.err(`overrides ${sub}: ${e instanceof ConfigError ? 'invalid: ' : ''}${(e as Error).message}\n`);
    return 1;
  }
}

function report(v: OverridesValidation, io: { err: (s: string) => void }): void {
  for (const w of v.warnings) io.err(`warning: ${w}\n`);
}

const defaultIo = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
