// DynamoDB table definitions, in one place for the code, the tests (dynalite), local mode and the
// CDK stack, so they cannot drift apart.

export interface TableDefinition {
  /** Logical name, used for the CDK construct id and the local table name. */
  readonly logicalName: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  /** Attribute holding an expiry time in epoch seconds, if the table uses TTL. */
  readonly ttlAttribute?: string;
}

/**
 * Delta items (one per partition batch and part) and the commit cursor of each partition.
 * pk `delta#<topic>#<partition>` / sk `<first offset, 20 digits>#<attempt>#<part, 4 digits>`;
 * pk `cursor` / sk `<topic>#<partition, 10 digits>`. See lib/store/keys.ts.
 */
export const DELTAS_TABLE: TableDefinition = {
  logicalName: 'Deltas',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'ttl',
};

/** CreateTable input for a definition (tests and local mode; the stack builds its own from the same definition). */
export function createTableInput(def: TableDefinition, tableName: string) {
  const keys = def.sortKey === undefined ? [def.partitionKey] : [def.partitionKey, def.sortKey];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: keys.map((k, i) => ({
      AttributeName: k.name,
      KeyType: i === 0 ? ('HASH' as const) : ('RANGE' as const),
    })),
  };
}

/**
 * The flusher's durable state: a header item pointing at the current epoch, and that epoch's
 * snapshot in compressed parts. pk `state` / sk `head`; pk `snap#<epoch>#<attempt>` / sk `<part, 4 digits>`.
 */
export const SERIES_TABLE: TableDefinition = {
  logicalName: 'Series',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'ttl',
};
