// Reads a config file with a size cap. A path such as /dev/zero or a huge file must not be read
// whole: at most MAX_CONFIG_BYTES + 1 bytes are read, whatever kind of file it is (a FIFO from
// `--config <(...)` works too).

import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_CONFIG_BYTES } from './yaml.ts';

/** The file's text; throws an Error naming the file when it cannot be read or is too large. */
export function readConfigText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) throw new Error(`${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
