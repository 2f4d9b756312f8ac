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

/**
 * Spellings of the same config field across families and transformers versions, in one table.
 * A family asks for a field by any of its spellings; the one it asks for is tried first, then
 * the others in this order, so a config saved by transformers 5 (`num_local_experts`,
 * `rope_parameters`, `dtype`) or written by a vendor in its own words (`moe_num_experts`,
 * `moe_k`) reads as the family's own. Sources: the configuration_*.py of each family in
 * transformers 4.5x and 5.x, and the vendors' remote-code configs (Ernie 4.5 `moe_num_experts` /
 * `moe_k`, Hunyuan `num_experts` / `moe_topk`, DeepSeek `n_routed_experts`).
 */
export const FIELD_ALIASES: readonly (readonly string[])[] = [
  // routed experts per MoE layer
  ['num_experts', 'num_local_experts', 'n_routed_experts', 'moe_num_experts'],
  // experts each token is routed to
  ['num_experts_per_tok', 'experts_per_token', 'moe_k', 'moe_topk', 'num_experts_per_token'],
  // shared experts per MoE layer (a count)
  ['n_shared_experts', 'num_shared_experts', 'moe_num_shared_experts', 'num_shared_expert'],
  // rotary scaling: transformers 5 folds rope_theta and rope_scaling into rope_parameters
  ['rope_scaling', 'rope_parameters'],
  // dtype of the unquantised tensors: transformers 5 writes `dtype`
  ['torch_dtype', 'dtype'],
];

/** Each spelling → the list it belongs to. */
const ALIAS_OF: ReadonlyMap<string, readonly string[]> = new Map(
  FIELD_ALIASES.flatMap((group) => group.map((name) => [name, group] as const)),
);

/** The spellings of `key` to try, `key` first. */
export function spellings(key: string): readonly string[] {
  const group = ALIAS_OF.get(key);
  return group ? [key, ...group.filter((k) => k !== key)] : [key];
}

/** The value of a field under any of its spellings (the first that is neither absent nor null). */
export function aliased(obj: Obj, key: string): unknown {
  for (const k of spellings(key)) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Typed access to one (possibly nested) config object, with errors naming the full field path.
 * A field is found under any of its spellings (`FIELD_ALIASES`); a field the object lacks is
 * looked up in `fallback` when there is one (a top-level config whose text model's fields sit in
 * `text_config`, as transformers 5 saves some of them).
 */
export class Fields {
  constructor(
    private readonly obj: Obj,
    private readonly prefix: string,
    private readonly modelType: string | undefined,
    private readonly file: string | undefined,
    private readonly fallback?: Fields,
  ) {}

  /** The spelling of `key` this object holds with a value, or undefined. */
  private spelled(key: string): string | undefined {
    for (const k of spellings(key)) if (this.obj[k] !== undefined && this.obj[k] !== null) return k;
    return undefined;
  }

  /** The Fields that answers for `key`: this one, or the fallback when only it holds the field. */
  private owner(key: string): Fields {
    if (this.spelled(key) !== undefined || this.fallback === undefined) return this;
    return this.fallback.has(key) ? this.fallback : this;
  }

  path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  has(key: string): boolean {
    return this.spelled(key) !== undefined || (this.fallback?.has(key) ?? false);
  }

  raw(key: string): unknown {
    const o = this.owner(key);
    if (o !== this) return o.raw(key);
    const k = this.spelled(key);
    return k === undefined ? this.obj[key] : this.obj[k];
  }

  missing(key: string): never {
    throw new MissingFieldError(this.path(key), this.modelType, this.file);
  }

  invalid(key: string, expected: string): never {
    const o = this.owner(key);
    if (o !== this) return o.invalid(key, expected);
    const k = this.spelled(key) ?? key;
    throw new InvalidFieldError(this.path(k), expected, this.obj[k], this.modelType, this.file);
  }

  /** Required integer >= min. */
  int(key: string, min = 1): number {
    if (!this.has(key)) this.missing(key);
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.invalid(key, `an integer >= ${min}`);
    return v;
  }

  /** Optional integer >= min with a default (also used when the field is null). */
  intOr(key: string, dflt: number, min = 0): number {
    return this.has(key) ? this.int(key, min) : dflt;
  }

  /** A key that must be present but may be null (e.g. DeepSeek's q_lora_rank). */
  intOrNull(key: string, min = 1): number | null {
    if (this.has(key)) return this.int(key, min);
    const present = (o: Fields | undefined): boolean =>
      o !== undefined && (spellings(key).some((k) => k in o.obj) || present(o.fallback));
    if (!present(this)) this.missing(key);
    return null;
  }

  bool(key: string, dflt: boolean): boolean {
    if (!this.has(key)) return dflt;
    const v = this.raw(key);
    if (typeof v !== 'boolean') this.invalid(key, 'a boolean');
    return v;
  }

  str(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const v = this.raw(key);
    if (typeof v !== 'string') this.invalid(key, 'a string');
    return v;
  }

  intList(key: string): number[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
      this.invalid(key, 'a list of non-negative integers');
    }
    return v as number[];
  }

  /** Optional list of strings. */
  strList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.invalid(key, 'a list of strings');
    return v as string[];
  }

  /**
   * Required integer >= min, also given as a per-layer list whose entries are all equal
   * (Hunyuan writes num_experts, moe_topk and moe_intermediate_size per layer).
   */
  uniformInt(key: string, min = 1): number {
    const v = this.raw(key);
    if (!Array.isArray(v)) return this.int(key, min);
    const first: unknown = v[0];
    if (typeof first !== 'number' || !Number.isSafeInteger(first) || first < min || !v.every((x) => x === first)) {
      this.invalid(key, `an integer >= ${min} or a list of equal ones (per-layer sizes that differ are not modelled)`);
    }
    return first;
  }

  sub(key: string): Fields {
    const o = this.owner(key);
    if (o !== this) return o.sub(key);
    if (!this.has(key)) this.missing(key);
    const v = this.raw(key);
    if (!isObj(v)) this.invalid(key, 'an object');
    return new Fields(v, this.path(this.spelled(key) ?? key), this.modelType, this.file);
  }

  /** This object with `text_config` (when it has one) answering for the fields it lacks. */
  withTextConfig(): Fields {
    const t = this.obj['text_config'];
    if (!isObj(t)) return this;
    return new Fields(
      this.obj,
      this.prefix,
      this.modelType,
      this.file,
      new Fields(t, this.path('text_config'), this.modelType, this.file),
    );
  }

  /** Head dim from `head_dim`, else hidden/heads as the modeling code does. */
  headDim(hidden: number, heads: number): number {
    if (this.has('head_dim')) return this.int('head_dim');
    if (hidden % heads !== 0) this.missing('head_dim');
    return hidden / heads;
  }
}
