// One remote_write endpoint as the client uses it: Prometheus' `remote_write` settings with every
// default applied. lib/config builds these from the YAML; the client needs nothing else of the config.

import type { RelabelConfig } from './relabel-config.ts';

export interface BasicAuth {
  readonly username: string;
  readonly password?: string;
  readonly passwordFile?: string;
}
/** Prometheus' tls_config; PEM text inline or in files (a file may be `secretsmanager:<ref>`). */
export interface TlsSettings {
  readonly ca?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly certFile?: string;
  readonly key?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
  readonly minVersion?: TlsVersion;
  readonly maxVersion?: TlsVersion;
}
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** proxy_url / no_proxy / proxy_from_environment / proxy_connect_header. */
export interface ProxySettings {
  readonly url?: string;
  readonly noProxy?: string;
  readonly fromEnvironment: boolean;
  readonly connectHeaders: Readonly<Record<string, string>>;
}

/** oauth2 client credentials grant. */
export interface OAuth2Settings {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly clientSecretFile?: string;
  readonly tokenUrl: string;
  readonly scopes: readonly string[];
  readonly endpointParams: Readonly<Record<string, string>>;
  readonly tls?: TlsSettings;
  readonly proxy?: ProxySettings;
}

export interface HttpHeaderValues {
  readonly values: readonly string[];
  /** Literal secret values (Prometheus keeps them out of its logs; so does this). */
  readonly secrets: readonly string[];
  /** Files (or `secretsmanager:` references) each holding one value. */
  readonly files: readonly string[];
}

export interface SigV4Config {
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly profile?: string;
  readonly roleArn?: string;
}
export interface RemoteWriteEndpoint {
  readonly url: string;
  readonly name?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly basicAuth?: BasicAuth;
  readonly bearerToken?: string;
  readonly bearerTokenFile?: string;
  readonly sigv4?: SigV4Config;
  readonly tls?: TlsSettings;
  readonly proxy?: ProxySettings;
  readonly oauth2?: OAuth2Settings;
  /** Prometheus' http_headers: values given, read from Secrets Manager or read from files. */
  readonly httpHeaders?: Readonly<Record<string, HttpHeaderValues>>;
  readonly remoteTimeoutMs: number;
  readonly maxSamplesPerSend: number;
  /** Prometheus' write_relabel_configs, applied to every series before it is sent. */
  readonly writeRelabelConfigs?: readonly RelabelConfig[];
}
