// Item keys of the deltas table. Offsets are zero-padded so string order is offset order.

const OFFSET_DIGITS = 20;

export function padOffset(offset: number): string {
  return String(offset).padStart(OFFSET_DIGITS, '0');
}

export function deltaPk(topic: string, partition: number): string {
  return `delta#${topic}#${partition}`;
}

export function deltaSk(firstOffset: number, attempt: string, part: number): string {
  return `${padOffset(firstOffset)}#${attempt}#${String(part).padStart(4, '0')}`;
}

/**
 * All cursors share one partition key so the flusher reads every topic's cursors in one Query.
 * One cursor write per partition batch stays far below a key's write limit.
 */
export const CURSOR_PK = 'cursor';

export function cursorSk(topic: string, partition: number): string {
  return `${topic}#${String(partition).padStart(10, '0')}`;
}

/** [topic, partition] of a cursor sort key (topics may contain '#'). */
export function parseCursorSk(sk: string): [string, number] {
  const i = sk.lastIndexOf('#');
  return [sk.slice(0, i), Number(sk.slice(i + 1))];
}
