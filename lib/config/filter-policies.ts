// filter_policies (Tempo: pkg/spanfilter/config/config.go): validated here so a bad policy stops
// the start, and normalized so
// the span filter only sees keys `kind`, `name`, `status`, `span.<attr>` and `resource.<attr>`.

import { fail, indexPath, joinPath } from './errors.ts';
import { MAX_FILTER_POLICIES, MAX_POLICY_ATTRIBUTES } from './common-specs.ts';
import { goRegexProblem } from './go-regex.ts';
import { listOf, object, oneOf, refine } from './schema.ts';
import type { Spec } from './schema.ts';
import { isNodeMap, Scalar } from './yaml.ts';
import type { Node } from './yaml.ts';
import type { FilterPolicy, PolicyAttribute, PolicyMatch } from './types.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../proto/otlp-enum-names.ts';

const SUPPORTED_INTRINSICS = ['kind', 'name', 'status'];
/** TraceQL intrinsics that exist but that filter policies do not support. */
const OTHER_INTRINSICS = [
  'duration',
  'childCount',
  'statusMessage',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'parent',
  'event:name',
  'link:traceID',
  'link:spanID',
  'trace:id',
  'span:id',
  'span:duration',
  'span:statusMessage',
  'trace:duration',
  'trace:rootName',
  'trace:rootService',
  'instrumentation:name',
  'instrumentation:version',
  'event:timeSinceStart',
  'span:childCount',
  'span:parentID',
];
/** Characters that end an unquoted TraceQL attribute name. */
const NAME_BREAKERS = /[\s{}()=!<>~&|^,"]/u;
/** Larger integers would not survive the number in PolicyAttribute.value. */
const MAX_EXACT_INT = BigInt(Number.MAX_SAFE_INTEGER);

type MatchType = PolicyMatch['matchType'];

/** The attribute key in canonical form, or fails naming `path`. */
function canonicalKey(key: string, path: string): string {
  if (key === '') return fail(path, 'must not be empty');
  if (SUPPORTED_INTRINSICS.includes(key)) return key;
  // TraceQL's scoped spelling of the same three intrinsics.
  if (key === 'span:kind' || key === 'span:name' || key === 'span:status') return key.slice(5);
  for (const scope of ['span', 'resource']) {
    if (key.startsWith(`${scope}.`)) return `${scope}.${attributeName(key.slice(scope.length + 1), key, path)}`;
  }
  if (key.startsWith('.')) {
    return fail(path, `unscoped attribute "${key}" is not supported; use span${key} or resource${key}`);
  }
  if (OTHER_INTRINSICS.includes(key)) {
    return fail(path, `unsupported intrinsic "${key}"; supported intrinsics: ${SUPPORTED_INTRINSICS.join(', ')}`);
  }
  return fail(path, `unsupported key "${key}"; use kind, name, status, span.<attribute> or resource.<attribute>`);
}

/** An unquoted TraceQL attribute name, or a double-quoted one (`span."a b"`). */
function attributeName(raw: string, key: string, path: string): string {
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return fail(path, `unterminated quoted attribute name in "${key}"`);
    const name = raw.slice(1, -1).replace(/\\(.)/gu, '$1');
    if (name === '') return fail(path, `empty attribute name in "${key}"`);
    return name;
  }
  if (raw === '') return fail(path, `empty attribute name in "${key}"`);
  if (NAME_BREAKERS.test(raw)) return fail(path, `invalid attribute name in "${key}"; quote it, e.g. span."${raw}"`);
  return raw;
}

function attribute(matchType: MatchType, node: Node, path: string): PolicyAttribute {
  if (!isNodeMap(node)) return fail(path, 'must be a mapping with key and value');
  for (const k of node.keys()) if (k !== 'key' && k !== 'value') fail(joinPath(path, k), 'unknown key');
  const keyNode = node.get('key');
  const valueNode = node.get('value');
  const keyPath = joinPath(path, 'key');
  const valuePath = joinPath(path, 'value');
  if (!(keyNode instanceof Scalar) || typeof keyNode.value !== 'string') return fail(keyPath, 'must be a string');
  const key = canonicalKey(keyNode.value, keyPath);
  if (!(valueNode instanceof Scalar) || valueNode.value === null)
    return fail(valuePath, 'must be a string, number or boolean');
  const v = valueNode.value;

  if (matchType === 'regex') {
    if (typeof v !== 'string') return fail(valuePath, 'must be a string (a regular expression)');
    const problem = goRegexProblem(v);
    if (problem !== undefined) return fail(valuePath, problem);
    return { key, value: v, isInt: false };
  }
  if (key === 'kind' || key === 'status') {
    const allowed: readonly string[] = key === 'kind' ? SPAN_KIND_NAMES : STATUS_CODE_NAMES;
    if (typeof v !== 'string' || !allowed.includes(v)) return fail(valuePath, `must be one of ${allowed.join(', ')}`);
    return { key, value: v, isInt: false };
  }
  if (key === 'name') {
    if (typeof v !== 'string') return fail(valuePath, 'must be a string');
    return { key, value: v, isInt: false };
  }
  if (typeof v === 'bigint') {
    if (v > MAX_EXACT_INT || v < -MAX_EXACT_INT)
      return fail(valuePath, `integers beyond ±${MAX_EXACT_INT} are not supported`);
    return { key, value: Number(v), isInt: true };
  }
  return { key, value: v, isInt: false };
}

function policyMatch(): Spec<PolicyMatch> {
  const shape = object({ match_type: oneOf(['strict', 'regex']) });
  return {
    type: 'policy match',
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, 'must be a mapping with match_type and attributes');
      const head = new Map(node);
      const attrs = head.get('attributes');
      head.delete('attributes');
      const { match_type: matchType } = shape.parse(head, path);
      if (matchType === undefined) return fail(joinPath(path, 'match_type'), 'is required (strict or regex)');
      const attrsPath = joinPath(path, 'attributes');
      let attributes: PolicyAttribute[] = [];
      if (attrs !== undefined && !(attrs instanceof Scalar && attrs.value === null)) {
        if (!Array.isArray(attrs)) return fail(attrsPath, 'must be a list');
        if (attrs.length > MAX_POLICY_ATTRIBUTES)
          return fail(attrsPath, `has ${attrs.length} items; at most ${MAX_POLICY_ATTRIBUTES} are accepted`);
        attributes = attrs.map((a, i) => attribute(matchType, a, indexPath(attrsPath, i)));
      }
      return { matchType, attributes };
    },
  };
}

const policySpec = refine(
  object({ include: policyMatch(), include_any: policyMatch(), exclude: policyMatch() }),
  (p) =>
    p.include === undefined && p.include_any === undefined && p.exclude === undefined
      ? 'a policy needs at least one of include, include_any or exclude'
      : undefined,
);

/** `filter_policies:` — a list of policies, each with include / include_any / exclude blocks. */
export function filterPolicies(): Spec<FilterPolicy[]> {
  const list = listOf(policySpec, MAX_FILTER_POLICIES);
  return {
    type: 'list of filter policies',
    parse(node, path) {
      return list.parse(node, path).map((p) => {
        const out: { include?: PolicyMatch; includeAny?: PolicyMatch; exclude?: PolicyMatch } = {};
        if (p.include !== undefined) out.include = p.include;
        if (p.include_any !== undefined) out.includeAny = p.include_any;
        if (p.exclude !== undefined) out.exclude = p.exclude;
        return out;
      });
    },
  };
}
