// Authentication of one endpoint's requests: basic_auth, bearer token (or `authorization`, which
// lib/config folds into the bearer fields), oauth2 or SigV4. An Authorization header already
// present (a tenant's remote_write_headers) is kept by basic_auth, bearer and oauth2, as
// Prometheus' round trippers keep it (Tempo injects tenant headers before them); SigV4 signs over it. Secret files are re-read on every send, as
// Prometheus does, so a rotated password or token is picked up without a restart.

import { readFile } from 'node:fs/promises';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { RemoteWriteEndpoint } from './endpoint.ts';
import { redactUrl } from './redact.ts';
import { assumedRoleCredentials } from './assume-role.ts';
import { OAuth2TokenSource } from './oauth2.ts';
import { SigV4Signer, type SigV4Credentials } from './sigv4.ts';

/**
 * A header value that names a secret instead of holding it: `secretsmanager:<key>` is read through
 * the same reader as the `*_file` credentials (in Lambda, the key of the remote-write secret).
 */
export const SECRET_HEADER_PREFIX = 'secretsmanager:';

/** Service name Amazon Managed Service for Prometheus signs with. */
export const SIGV4_SERVICE = 'aps';

/** Adds authentication to one request's headers (SigV4 needs the exact body). */
export type RequestAuthenticator = (
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
) => Promise<Record<string, string>>;

export interface AuthDeps {
  /** Reads a password or token file (default: UTF-8 from disk). */
  readonly readFile?: (path: string) => Promise<string>;
  /** For AWS_REGION (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** SigV4 credentials instead of access_key/secret_key or the default AWS chain (tests). */
  readonly sigv4Credentials?: SigV4Credentials;
  /** SigV4 signing time (tests); default now. */
  readonly signingDate?: () => Date;
  /** STS endpoint for sigv4.role_arn (tests); default the SDK's (AWS_ENDPOINT_URL_STS or regional). */
  readonly stsEndpoint?: string;
  /** Clock (epoch ms) deciding when assumed-role credentials are renewed (tests). */
  readonly credentialsClock?: () => number;
}

export class EndpointAuth {
  private readonly readSecret: (path: string) => Promise<string>;
  private readonly signer: SigV4Signer | undefined;
  private readonly oauth2: OAuth2TokenSource | undefined;

  /** Throws when the endpoint's auth settings cannot work (no SigV4 region). */
  constructor(
    private readonly endpoint: RemoteWriteEndpoint,
    private readonly deps: AuthDeps = {},
  ) {
    this.readSecret = deps.readFile ?? readLocalFile;
    this.signer = endpoint.sigv4 === undefined ? undefined : this.sigv4Signer(endpoint.sigv4, deps);
    this.oauth2 = endpoint.oauth2 === undefined ? undefined : new OAuth2TokenSource(endpoint.oauth2, this.readSecret);
  }

  /** Reads files and `secretsmanager:` references (TLS material, http_headers files). */
  get secretReader(): (path: string) => Promise<string> {
    return this.readSecret;
  }

  /**
   * Resolves the secrets for one send (reading any files) and returns how to authenticate its
   * requests. Rejects when a secret file cannot be read.
   */
  async prepare(): Promise<RequestAuthenticator> {
    const e = this.endpoint;
    if (e.basicAuth !== undefined) {
      const { username, password, passwordFile } = e.basicAuth;
      const secret =
        passwordFile !== undefined ? await this.secretFile(passwordFile, 'basic_auth.password_file') : (password ?? '');
      return unlessAuthorized(`Basic ${Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')}`);
    }
    if (e.bearerToken !== undefined || e.bearerTokenFile !== undefined) {
      const token =
        e.bearerTokenFile !== undefined
          ? await this.secretFile(e.bearerTokenFile, 'bearer_token_file')
          : (e.bearerToken as string);
      return unlessAuthorized(`Bearer ${token}`);
    }
    if (this.oauth2 !== undefined) return unlessAuthorized(await this.oauth2.authorization());
    const signer = this.signer;
    if (signer !== undefined) {
      const now = this.deps.signingDate ?? (() => new Date());
      return (url, headers, body) => signer.sign({ method: 'POST', url, headers, body }, now());
    }
    return async (_url, headers) => headers;
  }

  /**
   * `headers` with every `secretsmanager:<key>` value replaced by the secret, read on every send
   * (so a rotated one is picked up). Rejects, naming the header, when a secret cannot be read.
   */
  async resolveHeaderSecrets(headers: Record<string, string>): Promise<Record<string, string>> {
    const names = Object.keys(headers).filter((name) => headers[name].startsWith(SECRET_HEADER_PREFIX));
    if (names.length === 0) return headers;
    const out = { ...headers };
    for (const name of names) out[name] = await this.secretFile(headers[name], `header ${name}`);
    return out;
  }

  /** Prometheus trims file secrets (a trailing newline is never part of a password). */
  private async secretFile(path: string, key: string): Promise<string> {
    try {
      return (await this.readSecret(path)).trim();
    } catch (err) {
      throw new Error(`${key} ${path}: ${(err as Error).message}`);
    }
  }

  private sigv4Signer(config: NonNullable<RemoteWriteEndpoint['sigv4']>, deps: AuthDeps): SigV4Signer {
    const where = `remote_write ${this.endpoint.name ?? redactUrl(this.endpoint.url)}: sigv4`;
    const env = deps.env ?? process.env;
    const region = config.region ?? env.AWS_REGION;
    if (region === undefined || region === '') throw new Error(`${where}.region is not set and AWS_REGION is empty`);
    let credentials: SigV4Credentials;
    if (deps.sigv4Credentials !== undefined && config.roleArn === undefined) credentials = deps.sigv4Credentials;
    else if (config.accessKey !== undefined && config.secretKey !== undefined) {
      credentials = { accessKeyId: config.accessKey, secretAccessKey: config.secretKey };
    } else {
      credentials =
        deps.sigv4Credentials ?? defaultProvider(config.profile !== undefined ? { profile: config.profile } : {});
    }
    if (config.roleArn !== undefined) {
      credentials = assumedRoleCredentials({
        roleArn: config.roleArn,
        region,
        base: credentials,
        ...(deps.stsEndpoint !== undefined && { endpoint: deps.stsEndpoint }),
        ...(deps.credentialsClock !== undefined && { now: deps.credentialsClock }),
      });
    }
    return new SigV4Signer({ region, service: SIGV4_SERVICE, credentials });
  }
}

/** Sets Authorization unless the request already has one (in any spelling). */
function unlessAuthorized(authorization: string): RequestAuthenticator {
  return async (_url, headers) => {
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return headers;
    return { ...headers, Authorization: authorization };
  };
}

/** The reader without Secrets Manager (local mode, tests): files only, and a clear word on references. */
async function readLocalFile(path: string): Promise<string> {
  if (path.startsWith(SECRET_HEADER_PREFIX)) {
    throw new Error(
      `"${SECRET_HEADER_PREFIX}<key>" is read only by the deployed flush function (REMOTE_WRITE_SECRET_ARN); use a file or a literal value here`,
    );
  }
  return readFile(path, 'utf8');
}
