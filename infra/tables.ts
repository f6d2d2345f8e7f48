// The deltas and series tables, built from the same definitions the code, the tests (dynalite)
// and local mode use (lib/store/tables.ts), so keys and the TTL attribute cannot drift apart.

import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { DELTAS_TABLE, SERIES_TABLE, type TableDefinition } from '../lib/store/tables.ts';

/** On-demand capacity cap: requests beyond it are throttled (and retried) instead of billed. */
export interface TableCapacity {
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

export interface GeneratorTablesProps {
  readonly deltas?: TableCapacity;
  readonly series?: TableCapacity;
  readonly removalPolicy: RemovalPolicy;
}

export interface GeneratorTables {
  readonly deltas: Table;
  readonly series: Table;
}

export function generatorTables(scope: Construct, props: GeneratorTablesProps): GeneratorTables {
  return {
    // Deltas are transient (folded within minutes, expired after DELTA_TTL_DAYS): no point-in-time
    // recovery (see the acknowledgement in metrics-generator.ts).
    deltas: table(scope, DELTAS_TABLE, props.deltas, false, props.removalPolicy),
    // The series table is the cumulative state every counter continues from: recoverable.
    series: table(scope, SERIES_TABLE, props.series, true, props.removalPolicy),
  };
}

function table(
  scope: Construct,
  def: TableDefinition,
  capacity: TableCapacity | undefined,
  pitr: boolean,
  removalPolicy: RemovalPolicy,
): Table {
  for (const [key, value] of Object.entries(capacity ?? {})) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new Error(`${def.logicalName} table ${key}: must be a positive integer, got ${value}`);
    }
  }
  return new Table(scope, def.logicalName, {
    partitionKey: attribute(def.partitionKey),
    ...(def.sortKey !== undefined && { sortKey: attribute(def.sortKey) }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    ...(capacity?.maxReadRequestUnits !== undefined && { maxReadRequestUnits: capacity.maxReadRequestUnits }),
    ...(capacity?.maxWriteRequestUnits !== undefined && { maxWriteRequestUnits: capacity.maxWriteRequestUnits }),
    ...(def.ttlAttribute !== undefined && { timeToLiveAttribute: def.ttlAttribute }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pitr },
    removalPolicy,
  });
}

function attribute(key: TableDefinition['partitionKey']): Attribute {
  const type = key.type === 'S' ? AttributeType.STRING : key.type === 'N' ? AttributeType.NUMBER : AttributeType.BINARY;
  return { name: key.name, type };
}
