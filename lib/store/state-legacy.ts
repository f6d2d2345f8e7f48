// Format version 1 of the saved state: the whole state as one JSON text, deflated. Only read
// now (a state saved by an older release loads, and the next save writes version 2); it could
// not hold more than about 1.25M series, because the JSON text is one string.

import { inflateRawSync } from 'node:zlib';
import type { FlusherState } from './state-types.ts';

// JSON cannot carry NaN or +-Infinity (a histogram sum can be either): version 1 tagged them.
const NON_FINITE = '\u0000f:';

export function decodeLegacyState(bytes: Uint8Array): FlusherState {
  const json = inflateRawSync(bytes).toString('utf8');
  return JSON.parse(json, (_k, v) =>
    typeof v === 'string' && v.startsWith(NON_FINITE) ? Number(v.slice(NON_FINITE.length)) : v,
  ) as FlusherState;
}
