// One `write_relabel_configs` entry: Prometheus' defaults filled in and checked the way
// Prometheus checks it at load (Prometheus: model/relabel/relabel.go, Config.Validate), with the
// classic label-name charset. Regexes are RE2 (Go's syntax, linear-time matching).

import { RE2JS } from 're2js';

export const RELABEL_ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'] as const;
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

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A label name that may hold `$1` / `${name}` references, expanded per series. RE2, because the
// nested repetition would backtrack exponentially in a JavaScript RegExp.
const LABEL_NAME_WITH_REFERENCES = RE2JS.compile('^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$');

export const isLabelName = (name: string): boolean => LABEL_NAME.test(name);

/** Compiles a relabel regex the way Prometheus does: whole value, `.` matching newlines too. */
export function compileRelabelRegex(regex: string): RE2JS {
  return RE2JS.compile(`^(?s:${regex})$`);
}

const NEEDS_TARGET: ReadonlySet<RelabelAction> = new Set(['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal']);
const CASE_OR_EQUAL: ReadonlySet<RelabelAction> = new Set(['lowercase', 'uppercase', 'keepequal', 'dropequal']);

export function relabelConfigOf(input: RelabelConfigInput): RelabelConfig | RelabelConfigProblem {
  const actionText = input.action ?? 'replace';
  const action = actionText.toLowerCase() as RelabelAction;
  if (!RELABEL_ACTIONS.includes(action)) return { key: 'action', problem: `unknown relabel action "${actionText}" (one of ${RELABEL_ACTIONS.join(', ')})` };
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
  if (NEEDS_TARGET.has(a) && c.targetLabel === '') return { key: 'target_label', problem: `is required for the ${a} action` };
  const invalidTarget = { key: 'target_label', problem: `"${c.targetLabel}" is not a valid target label for the ${a} action` };
  if (a === 'replace' && !(c.targetLabel.includes('$') ? LABEL_NAME_WITH_REFERENCES.matches(c.targetLabel) : isLabelName(c.targetLabel))) return invalidTarget;
  if ((CASE_OR_EQUAL.has(a) || a === 'hashmod') && !isLabelName(c.targetLabel)) return invalidTarget;
  if (CASE_OR_EQUAL.has(a) && c.replacement !== DEFAULT_REPLACEMENT) return { key: 'replacement', problem: `cannot be set for the ${a} action` };
  if (a === 'labelmap' && !LABEL_NAME_WITH_REFERENCES.matches(c.replacement)) {
    return { key: 'replacement', problem: `"${c.replacement}" is not a valid label name (with $ references) for the labelmap action` };
  }
  if (a === 'keepequal' || a === 'dropequal') {
    // Prometheus rejects any regex given here, even the default one written out.
    if (input.regex !== undefined || c.modulus !== 0 || c.separator !== DEFAULT_SEPARATOR) {
      return { key: '', problem: `the ${a} action takes only source_labels and target_label` };
    }
  }
  if (a === 'labeldrop' || a === 'labelkeep') {
    if (input.source_labels !== undefined || c.targetLabel !== '' || c.modulus !== 0 || c.separator !== DEFAULT_SEPARATOR || c.replacement !== DEFAULT_REPLACEMENT) {
      return { key: '', problem: `the ${a} action takes only regex` };
    }
  }
  return undefined;
}
