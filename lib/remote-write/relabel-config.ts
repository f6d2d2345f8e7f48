// One `write_relabel_configs` entry: Prometheus' defaults filled in and checked the way
// Prometheus checks it at load (Prometheus: model/relabel/relabel.go, Config.Validate), with the
// UTF-8 label-name rules Tempo validates them with (Tempo: modules/generator/storage/config.go).
// Regexes are RE2 (Go's syntax, linear-time matching).

import { RE2JS } from 're2js';
import { isValidUtf8 } from '../series/utf8.ts';

export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** An entry with every default applied. */
export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** As written: every relabel regex is matched against the whole value (anchored both ends). */
  readonly regex: string;
  /** hashmod only; 0 elsewhere. */
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}

/** The entry as the config file gives it (types already checked, nothing defaulted). */
export interface RelabelConfigInput {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: string;
}

/** A problem with one key of an entry (`key` is '' for the entry as a whole). */
export interface RelabelConfigProblem {
  readonly key: string;
  readonly problem: string;
}

const DEFAULT_SEPARATOR = ';';
const DEFAULT_REGEX = '(.*)';
const DEFAULT_REPLACEMENT = '$1';

/** Any non-empty text without lone surrogates (valid UTF-8 once encoded), as UTF-8 validation has it. */
export const isLabelName = (name: string): boolean => name !== '' && isValidUtf8(name);

/** Compiles a relabel regex the way Prometheus does: whole value, `.` matching newlines too. */
export function compileRelabelRegex(regex: string): RE2JS {
  return RE2JS.compile(`^(?s:${regex})$`);
}

const NEEDS_TARGET: ReadonlySet<RelabelAction> = new Set([
  'replace',
  'hashmod',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);
const CASE_OR_EQUAL: ReadonlySet<RelabelAction> = new Set(['lowercase', 'uppercase', 'keepequal', 'dropequal']);

export function relabelConfigOf(input: RelabelConfigInput): RelabelConfig | RelabelConfigProblem {
  const actionText = input.action ?? 'replace';
  const action = actionText.toLowerCase() as RelabelAction;
  if (!RELABEL_ACTIONS.includes(action))
    return { key: 'action', problem: `unknown relabel action "${actionText}" (one of ${RELABEL_ACTIONS.join(', ')})` };
  const config: RelabelConfig = {
    sourceLabels: input.source_labels ?? [],
    separator: input.separator ?? DEFAULT_SEPARATOR,
    regex: input.regex ?? DEFAULT_REGEX,
    modulus: input.modulus ?? 0,
    targetLabel: input.target_label ?? '',
    replacement: input.replacement ?? DEFAULT_REPLACEMENT,
    action,
  };
  const problem = problemOf(config, input);
  return problem ?? config;
}

function problemOf(c: RelabelConfig, input: RelabelConfigInput): RelabelConfigProblem | undefined {
  for (const [i, name] of c.sourceLabels.entries()) {
    if (!isLabelName(name)) return { key: `source_labels[${i}]`, problem: `"${name}" is not a valid label name` };
  }
  try {
    compileRelabelRegex(c.regex);
  } catch (e) {
    return { key: 'regex', problem: `not a valid RE2 regular expression: ${(e as Error).message}` };
  }
  const a = c.action;
  if (a === 'hashmod' && c.modulus === 0) return { key: 'modulus', problem: 'hashmod needs a non-zero modulus' };
  if (NEEDS_TARGET.has(a) && c.targetLabel === '')
    return { key: 'target_label', problem: `is required for the ${a} action` };
  const invalidTarget = {
    key: 'target_label',
    problem: `"${c.targetLabel}" is not a valid target label for the ${a} action`,
  };
  if ((a === 'replace' || a === 'hashmod' || CASE_OR_EQUAL.has(a)) && !isLabelName(c.targetLabel)) return invalidTarget;
  if (CASE_OR_EQUAL.has(a) && c.replacement !== DEFAULT_REPLACEMENT)
    return { key: 'replacement', problem: `cannot be set for the ${a} action` };
  if (a === 'labelmap' && !isLabelName(c.replacement))
    return { key: 'replacement', problem: `"${c.replacement}" is not a valid label name for the labelmap action` };
  if (a === 'keepequal' || a === 'dropequal') {
    // Prometheus rejects any regex given here, even the default one written out.
    if (input.regex !== undefined || c.modulus !== 0 || c.separator !== DEFAULT_SEPARATOR) {
      return { key: '', problem: `the ${a} action takes only source_labels and target_label` };
    }
  }
  if (a === 'labeldrop' || a === 'labelkeep') {
    if (
      input.source_labels !== undefined ||
      c.targetLabel !== '' ||
      c.modulus !== 0 ||
      c.separator !== DEFAULT_SEPARATOR ||
      c.replacement !== DEFAULT_REPLACEMENT
    ) {
      return { key: '', problem: `the ${a} action takes only regex` };
    }
  }
  return undefined;
}
