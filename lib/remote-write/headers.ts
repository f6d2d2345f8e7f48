// The headers one tenant's requests to one endpoint carry (Tempo: modules/generator/storage/
// config_util.go): the endpoint's headers, the
// tenant's remote_write_headers over them, X-Scope-OrgID unless one is configured, and the
// protocol headers, which nothing configured may replace.

import packageJson from '../../package.json' with { type: 'json' };

export const SINGLE_TENANT = 'single-tenant';
export const ORG_ID_HEADER = 'X-Scope-OrgID';
export const USER_AGENT = `msk-metrics-generator/${packageJson.version}`;

export const PROTOCOL_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': USER_AGENT,
};

export interface TenantHeaders {
  readonly headers: Record<string, string>;
  /** True when a configured X-Scope-OrgID was kept instead of the tenant's id. */
  readonly orgIdConfigured: boolean;
}

/**
 * Headers for `tenant`. Names match case-insensitively: a tenant header replaces an endpoint
 * header of the same name in any spelling, as HTTP treats them as one.
 */
export function tenantHeaders(
  tenant: string,
  endpointHeaders: Readonly<Record<string, string>>,
  overrideHeaders: Readonly<Record<string, string>>,
  addOrgIdHeader: boolean,
): TenantHeaders {
  const headers: Record<string, string> = {};
  mergeInto(headers, endpointHeaders);
  mergeInto(headers, overrideHeaders);
  const orgIdConfigured = Object.entries(headers).some(
    ([name, value]) => name.trim().toLowerCase() === ORG_ID_HEADER.toLowerCase() && value !== '',
  );
  if (addOrgIdHeader && tenant !== SINGLE_TENANT && !orgIdConfigured) {
    // An empty configured X-Scope-OrgID does not count as set: replace it rather than send both.
    mergeInto(headers, { [ORG_ID_HEADER]: tenant });
  }
  mergeInto(headers, PROTOCOL_HEADERS);
  return { headers, orgIdConfigured: addOrgIdHeader && tenant !== SINGLE_TENANT && orgIdConfigured };
}

/** Copies `from` into `into`, replacing any same-named (case-insensitive, trimmed) header. */
export function mergeInto(into: Record<string, string>, from: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(from)) {
    const key = name.trim().toLowerCase();
    for (const existing of Object.keys(into)) {
      if (existing.trim().toLowerCase() === key) delete into[existing];
    }
    into[name.trim()] = value;
  }
}
