// Tenant IDs, validated as Tempo (via dskit) accepts them for writes, so an ID that reaches a label,
// a header or a DynamoDB key is always one Tempo itself would have accepted.

export const MAX_TENANT_ID_LENGTH = 150;
const ALLOWED = /^[A-Za-z0-9!\-_.*'()]+$/;

/** Why a tenant ID is rejected, or undefined when it is valid. */
export function tenantIdProblem(id: string): string | undefined {
  if (id === '') return 'tenant ID is empty';
  if (id.length > MAX_TENANT_ID_LENGTH) return `tenant ID is longer than ${MAX_TENANT_ID_LENGTH} characters`;
  if (id === '.' || id === '..') return `tenant ID "${id}" is not allowed`;
  if (!ALLOWED.test(id))
    return `tenant ID ${JSON.stringify(id.slice(0, 40))} has characters other than letters, digits and !-_.*'()`;
  return undefined;
}
