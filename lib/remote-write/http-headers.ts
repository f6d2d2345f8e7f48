// Prometheus' http_headers (prometheus/common config/headers.go): each header's `values` as
// given, `secrets` as given (kept out of logs), and each of `files` read on every send (so a
// rotated value is picked up) with surrounding whitespace trimmed. A file may be a
// `secretsmanager:` reference, read through the endpoint's secret reader. All values of one
// header are sent, joined with ", " as HTTP allows for a repeated header.

import type { HttpHeaderValues } from './endpoint.ts';

export async function resolveHttpHeaders(
  headers: Readonly<Record<string, HttpHeaderValues>> | undefined,
  readSecret: (path: string) => Promise<string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, h] of Object.entries(headers)) {
    const values = [...h.values, ...h.secrets];
    for (const file of h.files) {
      let text: string;
      try {
        text = await readSecret(file);
      } catch (err) {
        throw new Error(`http_headers.${name} file ${file}: ${(err as Error).message}`);
      }
      const value = text.trim();
      if (/[\r\n\0]/.test(value))
        throw new Error(`http_headers.${name} file ${file}: the value has a line break or NUL`);
      values.push(value);
    }
    if (values.length > 0) out[name] = values.join(', ');
  }
  return out;
}
