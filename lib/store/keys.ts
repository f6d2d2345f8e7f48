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

export function cursorPk(topic: string): string {
  return `cursor#${topic}`;
}

export function cursorSk(partition: number): string {
  return String(partition).padStart(10, '0');
}
