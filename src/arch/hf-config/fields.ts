/**
 * Reading a config.json: typed access to its fields, with errors that name the full field path
 * and the model_type, so a user can find the offending line in their own file.
 */

export function where(file: string | undefined): string {
  return file ? `${file}: ` : '';
}

export class MissingFieldError extends Error {
  override readonly name = 'MissingFieldError';
  readonly field: string;
  constructor(field: string, modelType: string | undefined, file?: string) {
    const fam = modelType ? ` (model_type "${modelType}")` : '';
    super(`${where(file)}missing required field "${field}"${fam}`);
    this.field = field;
  }
}

export class InvalidFieldError extends Error {
  override readonly name = 'InvalidFieldError';
  readonly field: string;
  constructor(field: string, expected: string, got: unknown, modelType: string | undefined, file?: string) {
    const fam = modelType ? ` (model_type "${modelType}")` : '';
    super(`${where(file)}field "${field}"${fam} must be ${expected}, got ${JSON.stringify(got)}`);
    this.field = field;
  }
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Typed access to one (possibly nested) config object, with errors naming the full field path. */
export class Fields {
  constructor(
    private readonly obj: Obj,
    private readonly prefix: string,
    private readonly modelType: string | undefined,
    private readonly file: string | undefined,
  ) {}

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  missing(key: string): never {
    throw new MissingFieldError(this.path(key), this.modelType, this.file);
  }

  invalid(key: string, expected: string): never {
    throw new InvalidFieldError(this.path(key), expected, this.obj[key], this.modelType, this.file);
  }

  /** Required integer >= min. */
  int(key: string, min = 1): number {
    if (!(key in this.obj) || this.obj[key] === null || this.obj[key] === undefined) this.missing(key);
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.invalid(key, `an integer >= ${min}`);
    return v;
  }

  /** Optional integer >= min with a default (also used when the field is null). */
  intOr(key: string, dflt: number, min = 0): number {
    return this.has(key) ? this.int(key, min) : dflt;
  }

  /** A key that must be present but may be null (e.g. DeepSeek's q_lora_rank). */
  intOrNull(key: string, min = 1): number | null {
    if (!(key in this.obj)) this.missing(key);
    return this.obj[key] === null ? null : this.int(key, min);
  }

  bool(key: string, dflt: boolean): boolean {
    if (!this.has(key)) return dflt;
    const v = this.obj[key];
    if (typeof v !== 'boolean') this.invalid(key, 'a boolean');
    return v;
  }

  str(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'string') this.invalid(key, 'a string');
    return v;
  }

  intList(key: string): number[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.obj[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
      this.invalid(key, 'a list of non-negative integers');
    }
    return v as number[];
  }

  /** Optional list of strings. */
  strList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.obj[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.invalid(key, 'a list of strings');
    return v as string[];
  }

  sub(key: string): Fields {
    if (!this.has(key)) this.missing(key);
    const v = this.obj[key];
    if (!isObj(v)) this.invalid(key, 'an object');
    return new Fields(v, this.path(key), this.modelType, this.file);
  }

  /** Head dim from `head_dim`, else hidden/heads as the modeling code does. */
  headDim(hidden: number, heads: number): number {
    if (this.has('head_dim')) return this.int('head_dim');
    if (hidden % heads !== 0) this.missing('head_dim');
    return hidden / heads;
  }
}
