// The one error type config loading throws. The message starts with the dotted path of the
// offending key so an operator can find it in the file; the file (or other source) comes last.

export class ConfigError extends Error {
  /** Dotted path of the offending key, e.g. `metrics_generator.registry.stale_duration`; '' for the whole document. */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly problem: string;
  /** Where the text came from (a file path, `CONFIG`, ...), when known. */
  readonly source?: string;

  constructor(path: string, problem: string, source?: string) {
    super(`${path === '' ? '' : `${path}: `}${problem}${source === undefined ? '' : ` (in ${source})`}`);
    this.name = 'ConfigError';
    this.path = path;
    this.problem = problem;
    this.source = source;
  }

  /** The same error attributed to a source, unless it already names one. */
  inSource(source: string | undefined): ConfigError {
    if (source === undefined || this.source !== undefined) return this;
    return new ConfigError(this.path, this.problem, source);
  }
}

/** Throws a ConfigError; typed `never` so validators can use it in expressions. */
export function fail(path: string, problem: string): never {
  throw new ConfigError(path, problem);
}

export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
