// Removes committed delta items from the deltas table behind the code's back, as a lost item or an
// expired TTL would: how the tests make gaps in a partition's chain.
import { DeleteItemCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { deltaPk } from '../../lib/store/keys.ts';

/**
 * Deletes the items of the delta starting at `firstOffset` on topic/partition (only its part
 * `onlyPart` when given); returns how many were deleted.
 */
export async function deleteDeltaItems(
  client: DynamoDBClient,
  table: string,
  where: {
    readonly topic?: string;
    readonly partition: number;
    readonly firstOffset: number;
    readonly onlyPart?: string;
  },
): Promise<number> {
  const page = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: deltaPk(where.topic ?? 'traces', where.partition) } },
    }),
  );
  const prefix = String(where.firstOffset).padStart(20, '0') + '#';
  let n = 0;
  for (const item of page.Items ?? []) {
    const sk = item.sk.S!;
    if (!sk.startsWith(prefix) || (where.onlyPart !== undefined && !sk.endsWith(`#${where.onlyPart}`))) continue;
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
    n++;
  }
  return n;
}
