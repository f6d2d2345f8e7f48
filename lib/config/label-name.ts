// Prometheus label-name helpers shared by config validation and the processors.

const INVALID_LABEL_CHAR = /[^a-zA-Z0-9_]/gu;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Replaces every character outside [a-zA-Z0-9_] with `_`, one `_` per code point, as Prometheus'
 * strutil.SanitizeLabelName does (Tempo uses it for dimension labels). No leading-digit handling.
 */
export function sanitizeLabelName(s: string): string {
  return s.replace(INVALID_LABEL_CHAR, '_');
}

/** A classic Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isValidLabelName(s: string): boolean {
  return LABEL_NAME.test(s);
}
