// filter_policies (Tempo: pkg/spanfilter/spanfilter.go): include / include_any / exclude blocks
// over span intrinsics and
// span or resource attributes, evaluated per span before any label is built.

import { compileGoRegex } from '../../config/go-regex.ts';
import type { FilterPolicy, PolicyAttribute, PolicyMatch } from '../../config/types.ts';
import { AnyValueRef, ANY_BOOL, ANY_DOUBLE, ANY_INT, ANY_STRING } from '../../decode/any-value.ts';
import type { AttributeList, ResourceView, SpanView } from '../../decode/span-view.ts';
import { spanKindName, statusCodeName } from '../../decode/span-view.ts';
import type { StringSource } from '../../decode/utf8.ts';

type SpanTest = (span: SpanView, strings: StringSource) => boolean;
type AttributeTest = (attrs: AttributeList, strings: StringSource) => boolean;

/** One compiled match block: all of its tests must hold (AND). */
class CompiledMatch {
  constructor(
    private readonly intrinsic: SpanTest[],
    private readonly resource: AttributeTest[],
    private readonly span: AttributeTest[],
  ) {}

  matches(res: ResourceView, span: SpanView, strings: StringSource): boolean {
    for (const t of this.intrinsic) if (!t(span, strings)) return false;
    if (!allHold(this.resource, res.attributes, strings)) return false;
    return allHold(this.span, span.attributes, strings);
  }
}

function allHold(tests: AttributeTest[], attrs: AttributeList, strings: StringSource): boolean {
  if (tests.length === 0) return true;
  if (attrs.count === 0) return false;
  for (const t of tests) if (!t(attrs, strings)) return false;
  return true;
}

export class SpanFilter {
  private readonly include: CompiledMatch[] = [];
  private readonly includeAny: CompiledMatch[] = [];
  private readonly exclude: CompiledMatch[] = [];

  constructor(policies: readonly FilterPolicy[]) {
    for (const p of policies) {
      if (p.include) this.include.push(compileMatch(p.include));
      if (p.includeAny) this.includeAny.push(compileMatch(p.includeAny));
      if (p.exclude) this.exclude.push(compileMatch(p.exclude));
    }
  }

  get empty(): boolean {
    return this.include.length === 0 && this.includeAny.length === 0 && this.exclude.length === 0;
  }

  /** true when the span is kept. */
  keep(res: ResourceView, span: SpanView, strings: StringSource): boolean {
    if (this.empty) return true;
    for (const m of this.exclude) if (m.matches(res, span, strings)) return false;
    for (const m of this.includeAny) if (m.matches(res, span, strings)) return true;
    if (this.include.length > 0) {
      for (const m of this.include) if (!m.matches(res, span, strings)) return false;
      return true;
    }
    return this.includeAny.length === 0;
  }
}

function compileMatch(match: PolicyMatch): CompiledMatch {
  const intrinsic: SpanTest[] = [];
  const resource: AttributeTest[] = [];
  const span: AttributeTest[] = [];
  for (const a of match.attributes) {
    if (a.key.startsWith('span.')) span.push(attributeTest(match.matchType, a.key.slice(5), a));
    else if (a.key.startsWith('resource.')) resource.push(attributeTest(match.matchType, a.key.slice(9), a));
    else intrinsic.push(intrinsicTest(match.matchType, a));
  }
  return new CompiledMatch(intrinsic, resource, span);
}

function intrinsicTest(matchType: 'strict' | 'regex', a: PolicyAttribute): SpanTest {
  const value = String(a.value);
  if (matchType === 'regex') {
    const matches = compileGoRegex(value);
    switch (a.key) {
      case 'name':
        return (s, strings) => matches(s.name(strings));
      case 'status':
        return (s) => matches(statusCodeName(s.statusCode));
      default:
        return (s) => matches(spanKindName(s.kind));
    }
  }
  switch (a.key) {
    case 'name':
      return (s, strings) => s.name(strings) === value;
    case 'status':
      return (s) => statusCodeName(s.statusCode) === value;
    default:
      return (s) => spanKindName(s.kind) === value;
  }
}

/**
 * Only the first attribute with the key is considered. Strict values compare by type the way
 * Go's generated getters do: reading another type yields its zero value, so `0` (int) matches a
 * double attribute, and a string filter for '' matches a non-string attribute.
 */
function attributeTest(matchType: 'strict' | 'regex', name: string, a: PolicyAttribute): AttributeTest {
  const key = new TextEncoder().encode(name);
  const v = new AnyValueRef();
  const read = (attrs: AttributeList): AnyValueRef | undefined => {
    const i = attrs.indexOf(key);
    return i < 0 ? undefined : attrs.value(i, v);
  };
  const str = (attrs: AttributeList, val: AnyValueRef, strings: StringSource) =>
    val.type === ANY_STRING ? strings.get(attrs.buf, val.start, val.end) : '';
  if (matchType === 'regex') {
    const matches = compileGoRegex(String(a.value));
    return (attrs, strings) => {
      const val = read(attrs);
      return val !== undefined && matches(str(attrs, val, strings));
    };
  }
  const want = a.value;
  if (typeof want === 'string') {
    return (attrs, strings) => {
      const val = read(attrs);
      return val !== undefined && str(attrs, val, strings) === want;
    };
  }
  if (typeof want === 'boolean') {
    return (attrs) => {
      const val = read(attrs);
      return val !== undefined && (val.type === ANY_BOOL && val.num === 1) === want;
    };
  }
  if (a.isInt) {
    const wantInt = BigInt(want);
    return (attrs) => {
      const val = read(attrs);
      return val !== undefined && (val.type === ANY_INT ? BigInt(val.num) : 0n) === wantInt;
    };
  }
  return (attrs) => {
    const val = read(attrs);
    return val !== undefined && (val.type === ANY_DOUBLE ? (val.num as number) : 0) === want;
  };
}
