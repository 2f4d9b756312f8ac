/**
 * The `quantization_config` of a config.json, read into the storage facts an `Architecture`
 * carries (block-FP8 tiles, INT4 routed experts). What the checkpoint then stores is decided in
 * ../storage.ts.
 */
import type { ExpertQuantSpec, LinearQuantSpec } from '../types.js';
import { type Fields, isObj, type Obj } from './fields.js';

/**
 * Block-FP8 checkpoints (quant_method "fp8" with a square weight_block_size) store F32 scale
 * tensors. Null when the config leaves unconverted a module the counter gives FP8 scales to (see
 * `leavesOnlyUnscaledModules`): the storage is then not modelled and the notes say so.
 */
export function fp8Block(f: Fields): number | null {
  const q = f.raw('quantization_config');
  if (!isObj(q) || q['quant_method'] !== 'fp8') return null;
  if (!leavesOnlyUnscaledModules(unconverted(q))) return null;
  const bs = q['weight_block_size'];
  if (Array.isArray(bs) && bs.length === 2 && bs[0] === bs[1] && typeof bs[0] === 'number' && bs[0] > 0) {
    return bs[0];
  }
  return null;
}

/**
 * The modules a quantisation config leaves in the base dtype: transformers' `modules_to_not_convert`
 * (fp8, mxfp4, awq, gptq integrations) and compressed-tensors' / modelopt's `ignore` (also spelt
 * `exclude_modules`).
 */
export function unconverted(q: Obj): string[] {
  const out: string[] = [];
  for (const key of ['modules_to_not_convert', 'ignore', 'exclude_modules']) {
    const v = q[key];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/**
 * Last names of modules the counter keeps in the base dtype under every quantisation: the head,
 * the embeddings, routers (`gate`, `router`) and their score-correction bias, the shared
 * expert's sigmoid gate, norms. Vision towers are counted unquantised too.
 */
const UNSCALED_MODULES = new Set([
  'lm_head',
  'embed_tokens',
  'wte',
  'gate',
  'router',
  'e_score_correction_bias',
  'shared_expert_gate',
  'norm',
]);

/**
 * Whether every unconverted entry names only modules the counter already keeps unquantised, by
 * the entry's last name (a `re:` pattern or a `*` wildcard read the same way): "lm_head",
 * "model.layers.3.mlp.gate", "gate", "model.visual" pass; "model.layers.*.self_attn" or
 * "re:.*mlp\.down_proj.*" do not, since the counter gives those FP8 scales.
 */
export function leavesOnlyUnscaledModules(entries: string[]): boolean {
  return entries.every((e) => {
    const words = e
      .replace(/^re:/, '')
      .split(/[^A-Za-z0-9_]+/)
      .filter((w) => w.length > 0);
    if (words.some((w) => /^(visual|vision\w*|mm_projector|multi_modal_projector)$/.test(w))) return true;
    const last = words.at(-1);
    return last !== undefined && (UNSCALED_MODULES.has(last) || /(^|_)(layer)?norm$/.test(last));
  });
}

/** Module groups whose storage a quantisation config may decide. */
export type QuantGroup = 'attention' | 'routed_experts' | 'shared_experts' | 'dense_ffn' | 'lm_head';

/** Python `re.match` semantics (anchored at the start) for a compressed-tensors "re:" entry. */
export function ignoreMatches(entry: string, name: string): boolean {
  if (entry.startsWith('re:')) return new RegExp(`^(?:${entry.slice(3)})`).test(name);
  return name === entry || name.endsWith(`.${entry}`);
}

/**
 * compressed-tensors "pack-quantized" INT4 with group scales (Kimi K2 Thinking, K2.5, K2.6):
 * understood when one config group quantises every `Linear` to symmetric INT4 by groups and the
 * ignore list leaves exactly the routed experts quantised, tested on the module names of the
 * DeepSeek-V3 modeling code (`names`). Anything else returns null: the storage is then not
 * modelled and the notes say so.
 */
export function compressedTensorsInt4(f: Fields, names: Record<QuantGroup, string[]>): ExpertQuantSpec | null {
  const q = f.raw('quantization_config');
  if (!isObj(q) || q['quant_method'] !== 'compressed-tensors' || q['format'] !== 'pack-quantized') return null;
  const groups = q['config_groups'];
  if (!isObj(groups) || Object.keys(groups).length !== 1) return null;
  const g = Object.values(groups)[0];
  if (!isObj(g)) return null;
  const w = g['weights'];
  const targets = g['targets'];
  if (!isObj(w) || !Array.isArray(targets) || !targets.includes('Linear')) return null;
  const size = w['group_size'];
  if (
    w['num_bits'] !== 4 ||
    w['type'] !== 'int' ||
    w['strategy'] !== 'group' ||
    w['symmetric'] === false ||
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    size < 1
  ) {
    return null;
  }
  const ignore = Array.isArray(q['ignore']) ? q['ignore'].filter((x): x is string => typeof x === 'string') : [];
  const quantised = (n: string) => !ignore.some((e) => ignoreMatches(e, n));
  for (const [group, list] of Object.entries(names) as [QuantGroup, string[]][]) {
    let hits: boolean[];
    try {
      hits = list.map(quantised);
    } catch {
      return null; // a pattern JavaScript cannot read
    }
    const want = group === 'routed_experts';
    if (hits.some((h) => h !== want)) return null;
  }
  return { format: 'int4_pack_quantized', group_size: size };
}

/** The config's quantization_config objects, top level then text_config, each once. */
export function quantizationConfigs(config: Obj): Obj[] {
  const out: Obj[] = [];
  for (const c of [config, config['text_config']]) {
    if (!isObj(c)) continue;
    const q = c['quantization_config'];
    if (isObj(q) && !out.includes(q)) out.push(q);
  }
  return out;
}

/** A positive safe integer, or undefined. */
function posInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/**
 * 4-bit storage of every linear, for any family, from the `quantization_config` (see
 * `LinearQuantSpec`): ModelOpt NVFP4 (`quant_algo` at the top or under `quantization`), AutoAWQ
 * GEMM, GPTQ v1 with a group size, and compressed-tensors pack-quantized (symmetric INT4 by
 * groups, or NVFP4 as `nvfp4-pack-quantized`) with one config group over `Linear`. Null when the
 * config says none of these, or leaves unconverted a module the counter would quantise: the
 * storage is then not modelled and the notes say so.
 */
export function linearQuant(f: Fields): LinearQuantSpec | null {
  const q = f.raw('quantization_config');
  if (!isObj(q)) return null;
  const spec = linearQuantOf(q);
  return spec && leavesOnlyUnscaledModules(unconverted(isObj(q['quantization']) ? { ...q, ...q['quantization'] } : q))
    ? spec
    : null;
}

function linearQuantOf(q: Obj): LinearQuantSpec | null {
  const method = q['quant_method'];
  if (method === 'modelopt') {
    const inner = isObj(q['quantization']) ? q['quantization'] : q;
    if (inner['quant_algo'] !== 'NVFP4') return null;
    const g = inner['group_size'] ?? 16;
    return g === 16 ? { format: 'nvfp4', group_size: 16 } : null;
  }
  if (method === 'awq') {
    const version = typeof q['version'] === 'string' ? q['version'].toLowerCase() : 'gemm';
    const g = posInt(q['group_size']);
    return q['bits'] === 4 && version === 'gemm' && q['zero_point'] !== false && g
      ? { format: 'int4_awq', group_size: g }
      : null;
  }
  if (method === 'gptq') {
    const g = posInt(q['group_size']);
    const fmt = q['checkpoint_format'] ?? 'gptq';
    return q['bits'] === 4 && fmt === 'gptq' && g ? { format: 'int4_gptq', group_size: g } : null;
  }
  if (method === 'compressed-tensors') {
    const groups = q['config_groups'];
    if (!isObj(groups) || Object.keys(groups).length !== 1) return null;
    const grp = Object.values(groups)[0];
    if (!isObj(grp) || !Array.isArray(grp['targets']) || !grp['targets'].includes('Linear')) return null;
    const w = grp['weights'];
    if (!isObj(w) || w['num_bits'] !== 4 || w['strategy'] !== 'group') return null;
    const g = posInt(w['group_size']);
    if (q['format'] === 'nvfp4-pack-quantized' && w['type'] === 'float' && g === 16) {
      return { format: 'nvfp4', group_size: 16 };
    }
    if (q['format'] === 'pack-quantized' && w['type'] === 'int' && w['symmetric'] !== false && g) {
      return { format: 'int4_ct', group_size: g };
    }
  }
  return null;
}
