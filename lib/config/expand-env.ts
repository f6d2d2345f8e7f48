// `${VAR}` references in the config text, expanded before YAML parsing when enabled, as Tempo
// does with -config.expand-env (Tempo: cmd/tempo/main.go, through github.com/drone/envsubst):
//   ${VAR}                      the variable's value; an undefined variable gives ''
//   ${VAR:-default} ${VAR-default} ${VAR:=default} ${VAR=default}
//                               the default when the variable is undefined or empty (envsubst reads
//                               the environment with os.Getenv, which cannot tell the two apart);
//                               the default may itself hold ${...} references
//   $$                          a literal `$` (so `$${VAR}` stays `${VAR}`)
//   $VAR                        left as it is (only the braced form is expanded)
// Other envsubst operators (${#VAR}, ${VAR^^}, ${VAR/a/b}, ...) are refused with the position of
// the reference rather than passed on unexpanded. The scan is one pass over the text.

import { readEnv, type VariableName } from '../env/contract.ts';
import { ConfigError } from './errors.ts';

/** Turned on by CONFIG_EXPAND_ENV=true or the CLI's --config.expand-env flag. */
export const EXPAND_ENV_VARIABLE = 'CONFIG_EXPAND_ENV' satisfies VariableName;
/** Nested defaults deeper than this are refused (a hostile text must not exhaust the stack). */
const MAX_NESTING = 16;
const NAME = /[\p{L}\p{N}_]/u;

type Env = Readonly<Record<string, string | undefined>>;

/** Whether expansion is on: CONFIG_EXPAND_ENV is `true` or `1`. */
export function expandEnvEnabled(env: Env = process.env): boolean {
  return readEnv(env, EXPAND_ENV_VARIABLE);
}

/** `text` expanded when expansion is enabled in `env`, otherwise unchanged. */
export function expandConfigText(text: string, env: Env = process.env): string {
  return expandEnvEnabled(env) ? expandEnv(text, env) : text;
}

/** Expands every `${...}` in `text` from `env`; throws a ConfigError naming line and column of a bad one. */
export function expandEnv(text: string, env: Env): string {
  const scanner = new Scanner(text, env);
  return scanner.text(false, 0);
}

class Scanner {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly env: Env,
  ) {}

  /** Text up to the end, or (inside a default) up to its closing `}`, which is consumed. */
  text(inDefault: boolean, depth: number): string {
    let out = '';
    let from = this.pos;
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x24 /* $ */) {
        const next = src[this.pos + 1];
        if (next === '$') {
          out += src.slice(from, this.pos) + '$';
          this.pos += 2;
          from = this.pos;
          continue;
        }
        if (next === '{') {
          out += src.slice(from, this.pos);
          out += this.reference(depth);
          from = this.pos;
          continue;
        }
      } else if (c === 0x7d /* } */ && inDefault) {
        out += src.slice(from, this.pos);
        this.pos++;
        return out;
      }
      this.pos++;
    }
    if (inDefault) throw this.problem(this.src.length, 'missing closing brace "}"');
    return out + src.slice(from);
  }

  /** One `${...}` starting at pos; leaves pos after its `}`. */
  private reference(depth: number): string {
    const start = this.pos;
    if (depth >= MAX_NESTING) throw this.problem(start, `environment references nested deeper than ${MAX_NESTING}`);
    this.pos += 2;
    const nameStart = this.pos;
    while (this.pos < this.src.length && NAME.test(this.src[this.pos])) this.pos++;
    const name = this.src.slice(nameStart, this.pos);
    if (name === '') throw this.problem(start, 'expected a variable name after "${"');
    const value = this.env[name] ?? '';
    const rest = this.src.slice(this.pos, this.pos + 2);
    if (rest.startsWith('}')) {
      this.pos++;
      return value;
    }
    const operator = rest === ':-' || rest === ':=' ? rest : rest[0] === '-' || rest[0] === '=' ? rest[0] : undefined;
    if (operator === undefined) {
      if (this.pos >= this.src.length) throw this.problem(start, 'missing closing brace "}"');
      throw this.problem(
        start,
        `"\${${name}${this.src[this.pos]}..." is not supported: use \${${name}} or \${${name}:-default}`,
      );
    }
    this.pos += operator.length;
    const fallback = this.text(true, depth + 1);
    return value === '' ? fallback : value;
  }

  private problem(at: number, what: string): ConfigError {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return new ConfigError(
      '',
      `environment expansion (${EXPAND_ENV_VARIABLE}) at line ${line}, column ${column}: ${what}`,
    );
  }
}
