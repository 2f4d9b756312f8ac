/**
 * Storage formats of weights (and KV caches) in bits per stored value, scale overhead included.
 *
 * Block-scaled formats carry one shared scale per block of values; the scale's bits are spread
 * over the block, so a format's cost is `element bits + scale bits / block size`:
 * - int4 with group scales: 4-bit integers plus one 16-bit (fp16/bf16) scale per group
 *   (GPTQ/AWQ style); group 128 → 4 + 16/128 = 4.125 bits.
 * - mxfp4: OCP Microscaling Formats (MX) Specification v1.0, MXFP4 = 32 FP4 (E2M1) elements
 *   sharing one 8-bit E8M0 scale → 4 + 8/32 = 4.25 bits.
 *   https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf
 * - nvfp4: NVIDIA's NVFP4 = FP4 (E2M1) elements with one FP8 (E4M3) scale per 16 values and a
 *   second-level FP32 scale per tensor → 4 + 8/16 = 4.5 bits (the per-tensor scale is one value
 *   for millions of weights and is not counted).
 *   https://developer.nvidia.com/blog/introducing-nvfp4-for-efficient-and-accurate-low-precision-inference/
 *
 * This is the one table of named formats: the sweep's `dtype`, `calc --dtype/--expert-dtype`
 * and the `--kv-dtype` of `calc` and `inspect` all take their names and bytes from it.
 */

/** The default group size of int4 (one 16-bit scale per 128 weights). */
export const INT4_DEFAULT_GROUP = 128;

/** A format known by name: bits per stored value, scales included, and where it may be used. */
interface NamedFormat {
  bits: number;
  /** a weight format (sweep `dtype`, `calc --dtype`, `--expert-dtype`) */
  weights: boolean;
  /** a KV-cache format (`--kv-dtype` of `calc` and `inspect`) */
  kv: boolean;
}

/** The named formats, in the order help and error messages list them. */
const NAMED = {
  fp32: { bits: 32, weights: true, kv: true }, // IEEE 754 binary32
  bf16: { bits: 16, weights: true, kv: true }, // bfloat16
  fp16: { bits: 16, weights: true, kv: true }, // IEEE binary16
  fp8: { bits: 8, weights: true, kv: true }, // E4M3/E5M2; per-tensor/per-channel scales are negligible
  int8: { bits: 8, weights: true, kv: true },
  int4: { bits: 4 + 16 / INT4_DEFAULT_GROUP, weights: true, kv: true }, // one 16-bit scale per group
  mxfp4: { bits: 4 + 8 / 32, weights: true, kv: true }, // OCP MX v1.0: E2M1, one E8M0 scale per 32
  nvfp4: { bits: 4 + 8 / 16, weights: true, kv: true }, // NVIDIA NVFP4: E2M1, one E4M3 scale per 16
} as const satisfies Record<string, NamedFormat>;

/** Formats known by name. */
export type FormatName = keyof typeof NAMED;
export const FORMAT_NAMES = Object.keys(NAMED) as readonly FormatName[];

/**
 * The names whose row allows `Use`, as a type, so that a format allowed for one use only cannot
 * be passed where it is not allowed.
 */
type Allowed<Use extends 'weights' | 'kv'> = {
  [K in FormatName]: (typeof NAMED)[K][Use] extends true ? K : never;
}[FormatName];

/** A weight format's name. */
export type Dtype = Allowed<'weights'>;
export const DTYPES = FORMAT_NAMES.filter((n) => NAMED[n].weights) as readonly Dtype[];
/** Bytes per weight of each weight format (block scales included). */
export const DTYPE_BYTES = Object.fromEntries(DTYPES.map((n) => [n, NAMED[n].bits / 8])) as Readonly<
  Record<Dtype, number>
>;

export function isDtype(x: unknown): x is Dtype {
  return typeof x === 'string' && Object.hasOwn(DTYPE_BYTES, x);
}

/** A KV-cache format's name. */
export type KvDtype = Allowed<'kv'>;
export const KV_DTYPES = FORMAT_NAMES.filter((n) => NAMED[n].kv) as readonly KvDtype[];
/** Bytes per cached value of each KV format (block scales included). */
export const KV_DTYPE_BYTES = Object.fromEntries(KV_DTYPES.map((n) => [n, NAMED[n].bits / 8])) as Readonly<
  Record<KvDtype, number>
>;

/** A storage format in canonical form. */
export type Format =
  | { kind: 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'mxfp4' | 'nvfp4' }
  | { kind: 'int4'; group_size: number }
  | { kind: 'bits'; bits: number };

/**
 * What callers may pass for a format: a name (`"bf16"`, `"int4"`, `"int4-g64"`), a canonical
 * `Format`, `{ bits: N }` or `{ int4: { group_size: N } }`.
 */
export type FormatInput = string | Format | { bits: number } | { int4: { group_size: number } };

export class FormatError extends Error {
  override readonly name = 'FormatError';
}

const VALID_HELP =
  `valid formats: ${FORMAT_NAMES.join(', ')}, int4-g<group> (e.g. int4-g64), ` +
  `or an object { bits: N } / { int4: { group_size: N } }`;

function positiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function int4(group: unknown, shown: string): Format {
  if (!positiveInteger(group)) {
    throw new FormatError(`int4 group size must be a positive integer, got ${shown}; ${VALID_HELP}`);
  }
  return { kind: 'int4', group_size: group };
}

function bits(b: unknown, shown: string): Format {
  if (typeof b !== 'number' || !Number.isFinite(b) || b <= 0) {
    throw new FormatError(`bits must be a positive finite number, got ${shown}; ${VALID_HELP}`);
  }
  return { kind: 'bits', bits: b };
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Parse a format from text or an object into its canonical form.
 * @throws FormatError naming the valid formats
 */
export function parseFormat(input: unknown): Format {
  if (typeof input === 'string') {
    const t = input.trim().toLowerCase();
    if (t === 'int4') return { kind: 'int4', group_size: INT4_DEFAULT_GROUP };
    const g = /^int4[-_]g(\d+)$/.exec(t);
    if (g) return int4(Number(g[1]), g[1]!);
    if ((FORMAT_NAMES as readonly string[]).includes(t)) return { kind: t as Exclude<FormatName, 'int4'> };
    throw new FormatError(`unknown format "${input}"; ${VALID_HELP}`);
  }
  if (isObj(input)) {
    const keys = Object.keys(input);
    if ('kind' in input) {
      const k = input.kind;
      if (k === 'int4') return int4(input.group_size ?? INT4_DEFAULT_GROUP, JSON.stringify(input.group_size));
      if (k === 'bits') return bits(input.bits, JSON.stringify(input.bits));
      if (typeof k === 'string' && (FORMAT_NAMES as readonly string[]).includes(k)) {
        return { kind: k as Exclude<FormatName, 'int4'> };
      }
      throw new FormatError(`unknown format kind ${JSON.stringify(k)}; ${VALID_HELP}`);
    }
    if (keys.length === 1 && keys[0] === 'bits') return bits(input.bits, JSON.stringify(input.bits));
    if (keys.length === 1 && keys[0] === 'int4') {
      const spec = input.int4;
      const group = isObj(spec) ? spec.group_size : undefined;
      return int4(group, JSON.stringify(group));
    }
    throw new FormatError(`unrecognised format object ${JSON.stringify(input)}; ${VALID_HELP}`);
  }
  throw new FormatError(`a format must be a string or an object, got ${JSON.stringify(input)}; ${VALID_HELP}`);
}

/** Bits of storage per value, scales included (see the module comment for each format). */
export function bitsPerWeight(format: FormatInput): number {
  const f = parseFormat(format);
  if (f.kind === 'int4') return 4 + 16 / f.group_size; // 4-bit values + one 16-bit scale per group
  if (f.kind === 'bits') return f.bits;
  return NAMED[f.kind].bits;
}

/** Bytes of storage per value (bitsPerWeight / 8). */
export function bytesPerValue(format: FormatInput): number {
  return bitsPerWeight(format) / 8;
}

/** A canonical, human-readable name: "bf16", "int4-g128", "6 bits". */
export function formatName(format: FormatInput): string {
  const f = parseFormat(format);
  if (f.kind === 'int4') return `int4-g${f.group_size}`;
  if (f.kind === 'bits') return `${f.bits} bits`;
  return f.kind;
}

/** Parameters of a model split into routed experts and everything else. */
export interface ParamSplit {
  /** all routed experts of all MoE layers */
  expert_params_total: number;
  /** everything else: embeddings, head, attention, norms, routers, shared experts, dense layers */
  other_params: number;
}

/** The format of the routed experts and of the rest (gpt-oss: mxfp4 experts, bf16 rest). */
export interface WeightFormats {
  experts: FormatInput;
  rest: FormatInput;
}

export interface WeightBytes {
  experts: number;
  rest: number;
  total: number;
}

/**
 * Bytes of the weights when routed experts and the rest are stored in different formats.
 * bytes = params × bits per weight / 8, for each part (not rounded: a fractional byte means the
 * last block is partly filled).
 */
export function weightBytes(params: ParamSplit, formats: WeightFormats): WeightBytes {
  for (const [name, v] of [
    ['expert_params_total', params.expert_params_total],
    ['other_params', params.other_params],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${name} must be a finite number >= 0, got ${String(v)}`);
    }
  }
  const experts = (params.expert_params_total * bitsPerWeight(formats.experts)) / 8;
  const rest = (params.other_params * bitsPerWeight(formats.rest)) / 8;
  return { experts, rest, total: experts + rest };
}
