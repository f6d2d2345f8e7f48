// The commit cursor of a partition: the last offset whose records are in a committed delta, and
// the attempt id of that delta (the head of the partition's delta chain, see delta-log.ts).

import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import { CURSOR_PK, cursorSk, parseCursorSk } from './keys.ts';

export interface Cursor {
  /** Last committed offset; -1 before the first commit. */
  readonly offset: number;
  /** Attempt id of the last committed delta; '' before the first commit. */
  readonly attempt: string;
  /** When it was committed (ms), 0 before the first commit. */
  readonly committedAtMs: number;
}

export const NO_CURSOR: Cursor = { offset: -1, attempt: '', committedAtMs: 0 };

export async function readCursor(ddb: Ddb, table: string, topic: string, partition: number): Promise<Cursor> {
  const out = await ddb.getItem({
    TableName: table,
    Key: { pk: { S: CURSOR_PK }, sk: { S: cursorSk(topic, partition) } },
    ConsistentRead: true,
  });
  const item = out.Item;
  if (item === undefined) return NO_CURSOR;
  return { offset: Number(item.off.N), attempt: item.att.S ?? '', committedAtMs: Number(item.at?.N ?? 0) };
}

/**
 * Advances the cursor from `expected` to `next`, only if it still holds `expected` (so a
 * concurrent or zombie invocation cannot move it twice). Returns false when the condition failed.
 */
export async function commitCursor(
  ddb: Ddb,
  table: string,
  topic: string,
  partition: number,
  expected: Cursor,
  next: Cursor,
): Promise<boolean> {
  try {
    await ddb.updateItem({
      TableName: table,
      Key: { pk: { S: CURSOR_PK }, sk: { S: cursorSk(topic, partition) } },
      UpdateExpression: 'SET off = :off, att = :att, #at = :at',
      ConditionExpression: expected.attempt === '' ? 'attribute_not_exists(off)' : 'off = :prevOff AND att = :prevAtt',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: {
        ':off': { N: String(next.offset) },
        ':att': { S: next.attempt },
        ':at': { N: String(next.committedAtMs) },
        ...(expected.attempt === ''
          ? {}
          : { ':prevOff': { N: String(expected.offset) }, ':prevAtt': { S: expected.attempt } }),
      },
    });
    return true;
  } catch (e) {
    if (
      e instanceof ConditionalCheckFailedException ||
      (e as { name?: string }).name === 'ConditionalCheckFailedException'
    )
      return false;
    throw e;
  }
}

export interface PartitionCursor {
  readonly topic: string;
  readonly partition: number;
  readonly cursor: Cursor;
}

/** The cursor of every partition that has committed at least once, all topics (one Query). */
export async function readAllCursors(ddb: Ddb, table: string): Promise<PartitionCursor[]> {
  const out: PartitionCursor[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.query({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: CURSOR_PK } },
      ConsistentRead: true,
      ExclusiveStartKey: start,
    });
    for (const item of page.Items ?? []) {
      const [topic, partition] = parseCursorSk(item.sk.S!);
      out.push({
        topic,
        partition,
        cursor: { offset: Number(item.off.N), attempt: item.att.S ?? '', committedAtMs: Number(item.at?.N ?? 0) },
      });
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return out;
}
