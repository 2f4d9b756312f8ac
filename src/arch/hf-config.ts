/**
 * Build an `Architecture` from a Hugging Face `config.json` as the hub ships it.
 *
 * Only the config's own fields are read (never a table of known models), so any size of a
 * supported family is counted. Where the modeling code fixes a property that the config
 * does not carry (a bias, a norm kind, a gate), it is encoded per family below with the
 * reason, citing the transformers modeling file (or the model's own reference code).
 */
import { gatedDeltaNetState } from './count.js';
import type {
  Architecture,
  ArchitectureBase,
  ExpertQuantSpec,
  LayerAttentionKind,
  MlaAttentionFields,
  MtpSpec,
  VisionSpec,
} from './types.js';

/** model_type values this module understands (aliases included). */
export const SUPPORTED_MODEL_TYPES = [
  'mixtral',
  'qwen2_moe',
  'qwen3_moe',
  'deepseek_v2',
  'deepseek_v3',
  'kimi_k2',
  'llama4',
  'llama4_text',
  'gpt_oss',
  'olmoe',
  'dbrx',
  'phimoe',
  'glm4_moe',
  'grok-1',
  'deepseek_v4',
  'kimi_k25',
  'qwen3_5_moe',
  'glm_moe_dsa',
  'minimax_m2',
] as const;

export type SupportedModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

function where(file: string | undefined): string {
  return file ? `${file}: ` : '';
}

export class UnsupportedModelError extends Error {
  override readonly name = 'UnsupportedModelError';
  readonly modelType: string;
  readonly supported: readonly string[] = SUPPORTED_MODEL_TYPES;
  constructor(modelType: string, file?: string) {
    super(
      `${where(file)}unsupported model_type "${modelType}"; supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
    );
    this.modelType = modelType;
  }
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

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Typed access to one (possibly nested) config object, with errors naming the full field path. */
class Fields {
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

/** Parts shared by the GQA families: everything except what each family decides. */
interface Common {
  hidden_size: number;
  num_layers: number;
  vocab_size: number;
  tie_word_embeddings: boolean;
}

function common(f: Fields, tieDefault = false): Common {
  return {
    hidden_size: f.int('hidden_size'),
    num_layers: f.int('num_hidden_layers'),
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: f.bool('tie_word_embeddings', tieDefault),
  };
}

const NO_SHARED = {
  num_shared_experts: 0,
  shared_expert_intermediate_size: null,
  shared_expert_gate: false,
} as const;

const RMS_PRE_NORMS = {
  norm_type: 'rmsnorm',
  norm_bias: false,
  norms_per_layer: 2,
  final_norm: true,
} as const;

const EVERY_LAYER_MOE = {
  first_k_dense_replace: 0,
  moe_layer_period: 1,
  moe_layer_offset: 0,
  dense_intermediate_size: null,
} as const;

/** Block-FP8 checkpoints (quant_method "fp8" with weight_block_size) store F32 scale tensors. */
function fp8Block(f: Fields): number | null {
  const q = f.raw('quantization_config');
  if (!isObj(q) || q['quant_method'] !== 'fp8') return null;
  const bs = q['weight_block_size'];
  if (Array.isArray(bs) && bs.length === 2 && bs[0] === bs[1] && typeof bs[0] === 'number' && bs[0] > 0) {
    return bs[0];
  }
  return null;
}

/** Qwen-style sparse-step rule plus `mlp_only_layers`: explicit MoE layer list when needed. */
function qwenMoeLayers(f: Fields, numLayers: number) {
  const step = f.intOr('decoder_sparse_step', 1, 1);
  const mlpOnly = f.intList('mlp_only_layers') ?? [];
  // modeling_qwen2_moe / modeling_qwen3_moe: MoE iff i not in mlp_only_layers and (i+1) % step == 0
  const layers = {
    first_k_dense_replace: 0,
    moe_layer_period: step,
    moe_layer_offset: step - 1,
    moe_layers: null as number[] | null,
  };
  if (mlpOnly.length > 0) {
    const idx: number[] = [];
    for (let i = 0; i < numLayers; i++) if (!mlpOnly.includes(i) && (i + 1) % step === 0) idx.push(i);
    layers.moe_layers = idx;
  }
  const anyDense = mlpOnly.some((i) => i < numLayers) || step > 1;
  return { ...layers, dense_intermediate_size: anyDense ? f.int('intermediate_size') : null };
}

/** `layer_types` of full and sliding attention (gpt-oss), when the config lists them. */
function slidingLayers(
  f: Fields,
  L: number,
): { layer_attention?: LayerAttentionKind[]; sliding_window?: number | null } {
  const types = f.strList('layer_types');
  if (types === undefined) return {};
  if (types.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const window = f.has('sliding_window') ? f.int('sliding_window') : null;
  return {
    layer_attention: types.map((t): LayerAttentionKind => {
      if (t === 'full_attention') return 'full';
      if (t === 'sliding_attention') return window == null ? 'full' : 'sliding';
      return f.invalid('layer_types', '"full_attention" or "sliding_attention" entries');
    }),
    sliding_window: window,
  };
}

// ---------------------------------------------------------------------------------------
// Families
// ---------------------------------------------------------------------------------------

function mixtral(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  return {
    model_type: 'mixtral',
    ...c,
    lm_head_bias: false,
    // modeling_mixtral: q/k/v/o_proj are Linear(bias=False), RMSNorm, router
    // Linear(d, E, bias=False), experts w1/w2/w3 without bias: no biases anywhere.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}

function qwen2Moe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const sharedI = f.int('shared_expert_intermediate_size', 0);
  return {
    model_type: 'qwen2_moe',
    ...c,
    lm_head_bias: false,
    // modeling_qwen2_moe: q/k/v_proj carry a bias (config.qkv_bias, default True; older
    // releases hard-code bias=True), o_proj has none; no QK norm.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: f.bool('qkv_bias', true),
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    // Qwen2MoeSparseMoeBlock: one shared_expert MLP of shared_expert_intermediate_size and a
    // sigmoid shared_expert_gate = Linear(d, 1, bias=False); the router has no bias.
    num_shared_experts: sharedI > 0 ? 1 : 0,
    shared_expert_intermediate_size: sharedI > 0 ? sharedI : null,
    shared_expert_gate: sharedI > 0,
    router_bias: false,
    router_score_correction_bias: false,
    ...qwenMoeLayers(f, c.num_layers),
  };
}

function qwen3Moe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  return {
    model_type: 'qwen3_moe',
    ...c,
    lm_head_bias: false,
    // modeling_qwen3_moe: q/k/v/o biases follow config.attention_bias; q_norm and k_norm are
    // RMSNorm(head_dim) applied per head (2·head_dim per layer); no shared expert.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'per_head',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...qwenMoeLayers(f, c.num_layers),
  };
}

/** Module groups whose storage a quantisation config may decide. */
type QuantGroup = 'attention' | 'routed_experts' | 'shared_experts' | 'dense_ffn' | 'lm_head';

/** Python `re.match` semantics (anchored at the start) for a compressed-tensors "re:" entry. */
function ignoreMatches(entry: string, name: string): boolean {
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
function compressedTensorsInt4(f: Fields, names: Record<QuantGroup, string[]>): ExpertQuantSpec | null {
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

/** DeepSeek-V3 module names (modeling_deepseek.py) of each quantisable group. */
function deepseekModuleNames(prefix: string, qLora: boolean, L: number, firstK: number, freq: number) {
  const isMoe = (i: number) => i >= firstK && i % freq === 0;
  let firstMoe = 0;
  while (firstMoe < L && !isMoe(firstMoe)) firstMoe++;
  let firstDense: number | null = 0;
  while (firstDense < L && isMoe(firstDense)) firstDense++;
  if (firstDense >= L) firstDense = null;
  const ffn = ['gate_proj', 'up_proj', 'down_proj'];
  const attn = qLora
    ? ['q_a_proj', 'q_b_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj']
    : ['q_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj'];
  return {
    attention: attn.map((n) => `${prefix}model.layers.0.self_attn.${n}`),
    routed_experts: ffn.map((n) => `${prefix}model.layers.${firstMoe}.mlp.experts.0.${n}`),
    shared_experts: ffn.map((n) => `${prefix}model.layers.${firstMoe}.mlp.shared_experts.${n}`),
    dense_ffn: firstDense == null ? [] : ffn.map((n) => `${prefix}model.layers.${firstDense}.mlp.${n}`),
    lm_head: ['lm_head'],
  };
}

function deepseek(f: Fields, modelType: string, prefix = ''): ArchitectureBase & MlaAttentionFields {
  const c = common(f);
  const L = c.num_layers;
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const freq = f.intOr('moe_layer_freq', 1, 1);
  const nShared = f.intOr('n_shared_experts', 0, 0);
  const moeI = f.int('moe_intermediate_size');
  // modeling_deepseek (V2/V3): layer i is MoE iff i >= first_k_dense_replace and i % moe_layer_freq == 0.
  let anyDense = firstK > 0 || freq > 1;
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  // The MTP layer sits at index L, so the same rule decides its FFN kind.
  const mtpIsMoe = L >= firstK && L % freq === 0;
  if (nMtp > 0 && !mtpIsMoe) anyDense = true;
  // DeepseekV3MoE.gate carries e_score_correction_bias for the aux-loss-free "noaux_tc"
  // routing (the only topk_method of V3; transformers' DeepseekV3TopkRouter always has it);
  // V2's greedy / group_limited_greedy routers have none.
  const topk = f.str('topk_method');
  const scoreBias = modelType === 'deepseek_v2' ? topk === 'noaux_tc' : topk === undefined || topk === 'noaux_tc';
  // attention_bias applies to q_a_proj, kv_a_proj_with_mqa and o_proj (false in every release).
  const attnBias = f.bool('attention_bias', false);
  const qLora = f.intOrNull('q_lora_rank');
  const mtp: MtpSpec | null =
    nMtp > 0
      ? {
          num_modules: nMtp,
          layer_kind: mtpIsMoe ? 'moe' : 'dense',
          // DeepSeek-V3 README_WEIGHTS.md: the MTP layer (model.layers.61) stores its own
          // embed_tokens and shared_head.head tensors besides enorm/hnorm/eh_proj/shared_head.norm.
          stores_embedding: true,
          stores_head: true,
        }
      : null;
  return {
    model_type: modelType,
    ...c,
    lm_head_bias: false,
    attention_type: 'mla',
    num_attention_heads: f.int('num_attention_heads'),
    num_key_value_heads: f.has('num_key_value_heads') ? f.int('num_key_value_heads') : null,
    head_dim: null,
    q_lora_rank: qLora,
    kv_lora_rank: f.int('kv_lora_rank'),
    qk_nope_head_dim: f.int('qk_nope_head_dim', 0),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    v_head_dim: f.int('v_head_dim'),
    attention_qkv_bias: attnBias,
    attention_out_bias: attnBias,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    // DeepseekV2MoE/V3MoE: shared_experts = one MLP of width moe_intermediate_size × n_shared_experts
    // (same count as n_shared experts of moe_intermediate_size); no gate on it.
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: scoreBias,
    first_k_dense_replace: firstK,
    moe_layer_period: freq,
    moe_layer_offset: 0,
    dense_intermediate_size: anyDense ? f.int('intermediate_size') : null,
    mtp,
    checkpoint_fp8_block: fp8Block(f),
    checkpoint_expert_quant: compressedTensorsInt4(f, deepseekModuleNames(prefix, qLora != null, L, firstK, freq)),
  };
}

/** Indices of the layers with their own DSA indexer (transformers GlmMoeDsaConfig.indexer_types); null = all. */
function dsaIndexerLayers(f: Fields, L: number): number[] | null {
  let types = f.strList('indexer_types');
  if (types === undefined && f.has('index_topk_pattern')) {
    const pat = f.raw('index_topk_pattern');
    if (typeof pat === 'string') {
      types = [...pat].map((ch, i) => {
        if (ch === 'F') return 'full';
        if (ch === 'S') return 'shared';
        return f.invalid('index_topk_pattern', `a string of F (full) and S (shared), not "${ch}" at ${i}`);
      });
    } else {
      types = f.strList('index_topk_pattern');
    }
  }
  if (types === undefined) {
    // layer i runs its own indexer iff max(i - offset + 1, 0) % freq == 0 (default freq 1: all)
    const freq = Math.max(f.intOr('index_topk_freq', 1, 0), 1);
    const offset = f.intOr('index_skip_topk_offset', 2, 0);
    types = Array.from({ length: L }, (_, i) => (Math.max(i - offset + 1, 0) % freq === 0 ? 'full' : 'shared'));
  }
  const own: number[] = [];
  for (let i = 0; i < L; i++) {
    const t = types[i];
    if (t === 'full') own.push(i);
    else if (t !== 'shared') f.invalid('indexer_types', `"full" or "shared" for each of the ${L} layers`);
  }
  return own.length === L ? null : own;
}

function glmMoeDsa(f: Fields): Architecture {
  const base = deepseek(f, 'glm_moe_dsa');
  const L = base.num_layers;
  return {
    ...base,
    // GlmMoeDsaTopkRouter (= DeepSeek-V3's) always carries e_score_correction_bias.
    router_score_correction_bias: true,
    // GlmMoeDsaAttention = DeepSeek-V3.2 MLA + DeepseekV32Indexer: wq_b Linear(q_lora_rank,
    // index_n_heads·index_head_dim), wk Linear(hidden, index_head_dim), k_norm LayerNorm(index_head_dim)
    // with bias, weights_proj Linear(hidden, index_n_heads), none with bias.
    dsa_indexer: { n_heads: f.int('index_n_heads'), head_dim: f.int('index_head_dim'), layers: dsaIndexerLayers(f, L) },
    // The GLM-5 checkpoint's MTP layer (model.layers.{num_hidden_layers}, with its own indexer) shares
    // the main model's embedding and head: zai-org/GLM-5's Hub total 753,864,139,008 is the main model
    // plus that layer with no embedding/head copies (GLM-4.5 stored copies; GLM-5 does not).
    mtp: base.mtp ? { ...base.mtp, stores_embedding: false, stores_head: false } : null,
  };
}

function deepseekV4(f: Fields): Architecture {
  const c = common(f);
  const L = c.num_layers;
  // DeepSeek-V4-Flash inference/model.py (official reference code): every Block has an MoE FFN;
  // MTPBlock(n_layers + i) follows the main layers and shares their embedding and head.
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  const ratios = f.intList('compress_ratios') ?? f.missing('compress_ratios');
  if (ratios.length < L + nMtp) {
    f.invalid(
      'compress_ratios',
      `a list of at least num_hidden_layers + num_nextn_predict_layers = ${L + nMtp} ratios`,
    );
  }
  // Attention.wkv = Linear(dim, head_dim): one K=V head whatever the config says elsewhere.
  const K = f.intOr('num_key_value_heads', 1, 1);
  if (K !== 1) f.invalid('num_key_value_heads', '1 (DeepSeek-V4 attention has one shared K=V head)');
  const H = f.int('num_attention_heads');
  const headDim = f.int('head_dim');
  const oGroups = f.int('o_groups');
  if ((H * headDim) % oGroups !== 0)
    f.invalid('o_groups', `a divisor of num_attention_heads × head_dim (${H * headDim})`);
  const nShared = f.intOr('n_shared_experts', 1, 0);
  const moeI = f.int('moe_intermediate_size');
  const E = f.int('n_routed_experts');
  // Compressor: `self.overlap = compress_ratio == 4`; Attention: `if self.compress_ratio == 4:
  // self.indexer = Indexer(...)` — the CSA ratio is fixed by the code, not the config.
  const csa = 4;
  const kinds = ratios.slice(0, L).map((r): LayerAttentionKind => (r === 0 ? 'sliding' : r === csa ? 'csa' : 'hca'));
  const fp8 = fp8Block(f);
  // expert_dtype "fp4": routed experts are Linear(dtype=float4_e2m1fn_x2), weight [out, in/2] and a
  // float8_e8m0 scale [out, in/fp4_block_size] with fp4_block_size = 32 (model.py).
  const expertDtype = f.str('expert_dtype');
  if (expertDtype !== undefined && expertDtype !== 'fp4') f.invalid('expert_dtype', '"fp4" or absent');
  return {
    model_type: 'deepseek_v4',
    ...c,
    lm_head_bias: false,
    attention_type: 'csa_hca',
    num_attention_heads: H,
    num_key_value_heads: K,
    head_dim: headDim,
    q_lora_rank: f.int('q_lora_rank'),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    o_groups: oGroups,
    o_lora_rank: f.int('o_lora_rank'),
    compress_ratios: [...ratios],
    csa_compress_ratio: csa,
    index_n_heads: f.int('index_n_heads'),
    index_head_dim: f.int('index_head_dim'),
    // Attention.attn_sink: one float per head.
    attention_sinks: true,
    // Block: attn_norm and ffn_norm; Transformer.norm before the head.
    ...RMS_PRE_NORMS,
    num_experts: E,
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    // Expert: w1, w2, w3 without bias; MoE.shared_experts = Expert(dim, moe_inter_dim).
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    // Gate: weight [E, d] in every layer; `bias` [E] except in the hash layers (layer_id <
    // n_hash_layers), which hold tid2eid [vocab, top-k] instead.
    router_bias: false,
    router_score_correction_bias: true,
    num_hash_layers: f.intOr('num_hash_layers', 0, 0),
    ...EVERY_LAYER_MOE,
    mtp:
      nMtp > 0
        ? // MTPBlock: e_proj, h_proj (default-dtype Linear: FP8 with scales in an FP8 checkpoint),
          // enorm, hnorm, norm, a Block, hc_head_{fn,base,scale}; embed and head are the main model's.
          { num_modules: nMtp, layer_kind: 'moe', stores_embedding: false, stores_head: false, fp8_proj: fp8 != null }
        : null,
    checkpoint_fp8_block: fp8,
    checkpoint_expert_quant: expertDtype === 'fp4' ? { format: 'fp4_e2m1_x2', group_size: 32 } : null,
    layer_attention: kinds,
    sliding_window: f.has('sliding_window') ? f.int('sliding_window') : null,
    // Block.hc_{attn,ffn}_{fn,base,scale}, Transformer.hc_head_*: hc_mult residual streams.
    hyper_connections: { mult: f.int('hc_mult') },
  };
}

/** Kimi K2.5 / K2.6 MoonViT tower and patch-merger projector (modeling_kimi_k25.py). */
function moonVit(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('vt_hidden_size');
  const posType = v.str('pos_emb_type') ?? 'divided_fixed';
  // Learnable2DInterpPosEmbDivided_fixed: a learned [height, width, dim] table; the time
  // embedding is a fixed sin-cos buffer, not stored.
  if (posType !== 'divided_fixed') v.invalid('pos_emb_type', '"divided_fixed"');
  const kernel = v.intList('merge_kernel_size') ?? [2, 2];
  if (kernel.length !== 2) v.invalid('merge_kernel_size', 'two integers');
  const mm = v.intOr('mm_hidden_size', hidden, 1);
  const merged = mm * (kernel[0] as number) * (kernel[1] as number);
  const projType = v.str('mm_projector_type') ?? 'patchmerger';
  const out = v.intOr('text_hidden_size', textHidden, 1);
  let projector: [number, number, boolean][];
  if (projType === 'patchmerger') {
    // PatchMergerMLP: pre_norm LayerNorm(mm_hidden_size), proj = Linear(mm·k·k, mm·k·k), GELU,
    // Linear(mm·k·k, text hidden), both with bias.
    projector = [
      [merged, merged, true],
      [merged, out, true],
    ];
  } else if (projType === 'mlp') {
    // MLP: pre_norm LayerNorm(mm_hidden_size), Linear(mm, text hidden), GELU, Linear(text hidden, text hidden).
    projector = [
      [mm, out, true],
      [out, out, true],
    ];
  } else {
    v.invalid('mm_projector_type', '"patchmerger" or "mlp"');
  }
  return {
    hidden_size: hidden,
    num_layers: v.int('vt_num_hidden_layers'),
    intermediate_size: v.int('vt_intermediate_size'),
    patch_size: v.int('patch_size'),
    num_channels: v.intOr('in_chans', 3, 1),
    // MoonViTEncoderLayer: norm0/norm1 LayerNorm with bias, wqkv Linear(h, 3h) and wo Linear(h, h)
    // with attn_bias=True, MLP2 fc0/fc1 with bias; MoonVision3dPatchEmbed.proj = Conv2d with bias;
    // the encoder ends in final_layernorm; no class token.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: true,
    class_token: false,
    num_positions: v.int('init_pos_emb_height') * v.int('init_pos_emb_width'),
    pre_norm: false,
    post_norm: true,
    projector_norm: mm,
    adapter: [],
    projector,
  };
}

function kimiK25(top: Fields): Architecture {
  const text = top.sub('text_config');
  // text_config is DeepseekV3ForCausalLM (model_type kimi_k2); module names carry the
  // KimiK25ForConditionalGeneration prefix `language_model.`.
  const base = deepseek(text, 'kimi_k25', 'language_model.');
  return {
    ...base,
    vision: top.has('vision_config') ? moonVit(top.sub('vision_config'), base.hidden_size) : null,
  };
}

/** Qwen3-VL-style vision tower of Qwen3.5 (Qwen3_5MoeVisionModel). */
function qwen35Vision(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('hidden_size');
  const merge = v.intOr('spatial_merge_size', 2, 1);
  const merged = hidden * merge * merge;
  const out = v.intOr('out_hidden_size', textHidden, 1);
  const deepstack = v.intList('deepstack_visual_indexes') ?? [];
  return {
    hidden_size: hidden,
    num_layers: v.int('depth'),
    intermediate_size: v.int('intermediate_size'),
    patch_size: v.int('patch_size'),
    temporal_patch_size: v.intOr('temporal_patch_size', 2, 1),
    num_channels: v.intOr('in_channels', 3, 1),
    // patch_embed.proj = Conv3d(in_channels, hidden, [temporal, patch, patch]) with bias;
    // pos_embed = Embedding(num_position_embeddings, hidden); blocks: norm1/norm2 LayerNorm with
    // bias, attn.qkv Linear(h, 3h) and attn.proj Linear(h, h) with bias, mlp linear_fc1/linear_fc2
    // with bias; no final norm and no class token.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: true,
    class_token: false,
    num_positions: v.int('num_position_embeddings'),
    pre_norm: false,
    post_norm: false,
    // merger: norm LayerNorm(hidden), linear_fc1 (h·m², h·m²), linear_fc2 (h·m², out_hidden_size), with bias
    projector_norm: hidden,
    adapter: [],
    projector: [
      [merged, merged, true],
      [merged, out, true],
    ],
    // one deepstack merger per deepstack_visual_indexes entry: the same with LayerNorm(h·m²)
    extra_mergers: deepstack.map(() => ({
      norm: merged,
      layers: [
        [merged, merged, true],
        [merged, out, true],
      ],
    })),
  };
}

function qwen35Moe(top: Fields): Architecture {
  const f = top.sub('text_config');
  const hidden = f.int('hidden_size');
  const L = f.int('num_hidden_layers');
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  // layer_types, or (the config class's default) full attention every full_attention_interval-th layer.
  const rawTypes = f.strList('layer_types');
  if (rawTypes !== undefined && rawTypes.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const interval = f.intOr('full_attention_interval', 4, 1);
  const kinds: LayerAttentionKind[] = Array.from({ length: L }, (_, i) => {
    const t = rawTypes ? rawTypes[i] : (i + 1) % interval === 0 ? 'full_attention' : 'linear_attention';
    if (t === 'full_attention') return 'full';
    if (t === 'linear_attention') return 'linear';
    return f.invalid('layer_types', '"linear_attention" or "full_attention" entries');
  });
  const anyLinear = kinds.includes('linear');
  const gdn = anyLinear
    ? {
        num_key_heads: f.int('linear_num_key_heads'),
        key_head_dim: f.int('linear_key_head_dim'),
        num_value_heads: f.int('linear_num_value_heads'),
        value_head_dim: f.int('linear_value_head_dim'),
        conv_kernel: f.int('linear_conv_kernel_dim'),
      }
    : null;
  // Qwen3_5MoeDecoderLayer: `self.mlp = Qwen3_5MoeSparseMoeBlock(config)` in every layer.
  const mlpOnly = f.intList('mlp_only_layers') ?? [];
  if (mlpOnly.length > 0) f.invalid('mlp_only_layers', 'empty (every Qwen3.5-MoE decoder layer is sparse)');
  const sharedI = f.intOr('shared_expert_intermediate_size', 0, 0);
  const nMtp = f.intOr('mtp_num_hidden_layers', 0, 0);
  const tie = f.has('tie_word_embeddings')
    ? f.bool('tie_word_embeddings', false)
    : top.bool('tie_word_embeddings', false);
  return {
    model_type: 'qwen3_5_moe',
    hidden_size: hidden,
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: tie,
    lm_head_bias: false,
    // Qwen3_5MoeAttention (= Qwen3NextAttention): q_proj Linear(d, H·hd·2) carrying the sigmoid
    // output gate, k/v_proj Linear(d, K·hd), o_proj Linear(H·hd, d), biases per attention_bias;
    // q_norm/k_norm RMSNorm(head_dim) per head.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(hidden, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'per_head',
    attention_sinks: false,
    attention_output_gate: f.bool('attn_output_gate', true),
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    // Qwen3NextSparseMoeBlock: router Linear(d, E) without bias, shared_expert MLP and a sigmoid
    // shared_expert_gate Linear(d, 1).
    num_shared_experts: sharedI > 0 ? 1 : 0,
    shared_expert_intermediate_size: sharedI > 0 ? sharedI : null,
    shared_expert_gate: sharedI > 0,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
    // MTP (Qwen3-Next layout): fc Linear(2d, d), pre_fc_norm_embedding, pre_fc_norm_hidden,
    // mtp_num_hidden_layers full-attention MoE layers, norm; embedding and head shared unless
    // mtp_use_dedicated_embeddings.
    mtp:
      nMtp > 0
        ? {
            num_modules: 1,
            layers_per_module: nMtp,
            layer_kind: 'moe',
            stores_embedding: f.bool('mtp_use_dedicated_embeddings', false),
            stores_head: false,
          }
        : null,
    vision: top.has('vision_config') ? qwen35Vision(top.sub('vision_config'), hidden) : null,
    layer_attention: kinds,
    gated_deltanet: gdn,
    linear_attention_state: gdn
      ? { ...gatedDeltaNetState(gdn), recurrent_dtype: f.str('mamba_ssm_dtype') ?? null }
      : null,
  };
}

function minimaxM2(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const L = c.num_layers;
  // attn_type_list: 1 = full softmax attention in every released MiniMax-M2 config (MiniMax-M1's
  // 0 = lightning attention is not part of the M2 modeling code).
  const types = f.intList('attn_type_list');
  if (types !== undefined && (types.length !== L || types.some((t) => t !== 1))) {
    f.invalid('attn_type_list', `${L} entries of 1 (full attention)`);
  }
  const sharedI = f.intOr('shared_intermediate_size', 0, 0);
  if (sharedI > 0) f.invalid('shared_intermediate_size', '0 (MiniMax-M2 has no shared expert)');
  const qkNorm = !f.bool('use_qk_norm', true) ? 'none' : f.str('qk_norm_type') === 'per_head' ? 'per_head' : 'full';
  return {
    model_type: 'minimax_m2',
    ...c,
    lm_head_bias: false,
    // modeling_minimax_m2 MiniMaxM2Attention: q/k/v/o_proj without bias; with qk_norm_type
    // "per_layer", q_norm = RMSNorm(head_dim·num_heads) and k_norm = RMSNorm(head_dim·num_kv_heads).
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: qkNorm,
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    // MiniMaxM2SparseMoeBlock: gate Linear(d, E) without bias, experts w1/w2/w3 of intermediate_size,
    // e_score_correction_bias [E] with use_routing_bias.
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: f.bool('use_routing_bias', true),
    ...EVERY_LAYER_MOE,
    // use_mtp / num_mtp_modules describe training-time MTP modules that the released checkpoints
    // (M2, M2.1, M2.5, M2.7) do not contain: nothing to count.
    mtp: null,
    checkpoint_fp8_block: fp8Block(f),
    layer_attention: new Array<LayerAttentionKind>(L).fill('full'),
  };
}

function llama4Vision(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('hidden_size');
  const inter = v.int('intermediate_size');
  return {
    hidden_size: hidden,
    num_layers: v.int('num_hidden_layers'),
    intermediate_size: inter,
    patch_size: v.int('patch_size'),
    image_size: v.int('image_size'),
    num_channels: v.intOr('num_channels', 3, 1),
    // modeling_llama4 Llama4VisionModel: patch_embedding = Llama4UnfoldConvolution
    // (Linear(C·p·p, hidden, bias=False)), class_embedding (hidden), positional_embedding_vlm
    // ((image/patch)^2 + 1 rows), layernorm_pre/post (LayerNorm with bias), encoder layers with
    // q/k/v/o Linear(bias=True), MLP fc1/fc2 (bias=True) and two LayerNorms.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: false,
    class_token: true,
    pre_norm: true,
    post_norm: true,
    // Llama4VisionPixelShuffleMLP -> Llama4VisionMLP2: fc1 Linear(intermediate_size,
    // projector_input_dim) and fc2 Linear(projector_output_dim, projector_output_dim), bias=False.
    adapter: [
      [inter, v.int('projector_input_dim'), false],
      [v.int('projector_output_dim'), v.int('projector_output_dim'), false],
    ],
    // Llama4MultiModalProjector.linear_1 = Linear(vision_output_dim, text hidden_size, bias=False).
    projector: [[v.int('vision_output_dim'), textHidden, false]],
  };
}

function llama4(top: Fields, modelType: string): Architecture {
  const f = modelType === 'llama4' ? top.sub('text_config') : top;
  const hidden = f.int('hidden_size');
  const L = f.int('num_hidden_layers');
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  const step = f.intOr('interleave_moe_layer_step', 1, 1);
  // Llama4TextConfig: moe_layers defaults to range(step - 1, L, step).
  const explicit = f.intList('moe_layers');
  const moeLayers = explicit ?? null;
  const moeCount = explicit ? explicit.filter((i) => i < L).length : Math.ceil((L - (step - 1)) / step);
  const tie = f.has('tie_word_embeddings')
    ? f.bool('tie_word_embeddings', false)
    : top.bool('tie_word_embeddings', false);
  const vision =
    modelType === 'llama4' && top.has('vision_config') ? llama4Vision(top.sub('vision_config'), hidden) : null;
  return {
    model_type: modelType,
    hidden_size: hidden,
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: tie,
    lm_head_bias: false,
    // modeling_llama4 Llama4TextAttention: q/k/v/o biases follow config.attention_bias;
    // use_qk_norm is Llama4TextL2Norm, which has no weight.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(hidden, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: f.bool('use_qk_norm', false) ? 'l2_no_weight' : 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    // Llama4TextMoe: Llama4Router = Linear(d, E, bias=False) and one shared_expert
    // Llama4TextMLP(intermediate_size), ungated.
    num_shared_experts: 1,
    shared_expert_intermediate_size: f.int('intermediate_size'),
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: 0,
    moe_layer_period: step,
    moe_layer_offset: step - 1,
    moe_layers: moeLayers,
    // Dense layers use Llama4TextMLP(intermediate_size_mlp).
    dense_intermediate_size: moeCount < L ? f.int('intermediate_size_mlp') : null,
    vision,
  };
}

function gptOss(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', true);
  const topK = f.has('num_experts_per_tok') ? f.int('num_experts_per_tok') : f.int('experts_per_token');
  return {
    model_type: 'gpt_oss',
    ...c,
    lm_head_bias: false,
    // modeling_gpt_oss: q/k/v/o biases follow config.attention_bias (True by default and in
    // the released configs); `sinks` is a Parameter of num_attention_heads.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'none',
    attention_sinks: true,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: topK,
    moe_intermediate_size: f.int('intermediate_size'),
    // GptOssExperts: gate_up_proj [E, d, 2I] + gate_up_proj_bias [E, 2I], down_proj [E, I, d]
    // + down_proj_bias [E, d]; GptOssTopKRouter has weight [E, d] and bias [E].
    expert_gated: true,
    expert_bias: true,
    ...NO_SHARED,
    router_bias: true,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
    // layer_types alternates sliding_attention (window sliding_window) and full_attention.
    ...slidingLayers(f, c.num_layers),
  };
}

function olmoe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  return {
    model_type: 'olmoe',
    ...c,
    lm_head_bias: false,
    // modeling_olmoe OlmoeAttention: q_norm = RMSNorm(hidden_size) and
    // k_norm = RMSNorm(head_dim · num_key_value_heads) over the full projections ("full"
    // QK norm); q/k/v/o biases follow config.attention_bias (LlamaAttention).
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'full',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('intermediate_size'),
    // OlmoeSparseMoeBlock: gate = Linear(d, E, bias=False), experts are gated MLPs without bias.
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}

function dbrx(f: Fields): Architecture {
  const d = f.int('d_model');
  const H = f.int('n_heads');
  const attn = f.sub('attn_config');
  const ffn = f.sub('ffn_config');
  if (d % H !== 0) f.invalid('d_model', `a multiple of n_heads (${H})`);
  return {
    model_type: 'dbrx',
    hidden_size: d,
    num_layers: f.int('n_layers'),
    vocab_size: f.int('vocab_size'),
    // DbrxConfig raises on tie_word_embeddings=True: the head is always separate.
    tie_word_embeddings: false,
    lm_head_bias: false,
    // modeling_dbrx: Wqkv = Linear(d, d + 2·K·hd, bias=False), out_proj bias=False (clip_qkv
    // only clamps activations); head_dim = d_model / n_heads.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: attn.int('kv_n_heads'),
    head_dim: d / H,
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    // norm_1, norm_2 and norm_f are nn.LayerNorm(d, bias=False): weight only.
    norm_type: 'layernorm',
    norm_bias: false,
    norms_per_layer: 2,
    final_norm: true,
    num_experts: ffn.int('moe_num_experts'),
    num_experts_per_tok: ffn.int('moe_top_k'),
    moe_intermediate_size: ffn.int('ffn_hidden_size'),
    // DbrxExpertGLU: w1, v1, w2 of [E·ffn_hidden_size, d], no bias; DbrxRouter.layer bias=False.
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}

function phimoe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  return {
    model_type: 'phimoe',
    ...c,
    // PhimoeForCausalLM: lm_head = Linear(d, V, bias=config.lm_head_bias) (true for Phi-3.5-MoE).
    lm_head_bias: f.bool('lm_head_bias', false),
    // PhimoeAttention = LlamaAttention: q/k/v/o biases follow config.attention_bias
    // (true in Phi-3.5-MoE's config).
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'none',
    attention_sinks: false,
    // PhimoeDecoderLayer / PhimoeModel use nn.LayerNorm(d, elementwise_affine=True): weight + bias.
    norm_type: 'layernorm',
    norm_bias: true,
    norms_per_layer: 2,
    final_norm: true,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('intermediate_size'),
    // PhimoeTopKRouter = Linear(d, E, bias=False); experts as Mixtral (gated, no bias).
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}

function glm4Moe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const firstK = f.intOr('first_k_dense_replace', 1, 0);
  const nShared = f.intOr('n_shared_experts', 1, 0);
  const moeI = f.int('moe_intermediate_size');
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  const mtpIsMoe = c.num_layers >= firstK;
  return {
    model_type: 'glm4_moe',
    ...c,
    lm_head_bias: false,
    // modeling_glm4_moe Glm4MoeAttention: q/k/v biases follow config.attention_bias, o_proj
    // has bias=False; with use_qk_norm, q_norm/k_norm are RMSNorm(head_dim) per head.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: f.bool('attention_bias', false),
    attention_out_bias: false,
    qk_norm: f.bool('use_qk_norm', false) ? 'per_head' : 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    // Glm4MoeMoE: shared_experts = MLP(moe_intermediate_size × n_shared_experts), no gate;
    // Glm4MoeTopkRouter: weight [E, d] and the persistent e_score_correction_bias buffer [E].
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    // Decoder layer i is MoE iff i >= first_k_dense_replace; dense layers use intermediate_size.
    first_k_dense_replace: firstK,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 || (nMtp > 0 && !mtpIsMoe) ? f.int('intermediate_size') : null,
    // The MTP layer (model.layers.{num_hidden_layers}, skipped by transformers) follows the
    // DeepSeek-V3 layout with its own embed_tokens and shared_head (norm + head), as in
    // vLLM's glm4_moe_mtp.py and in the GLM-4.5-Air checkpoint's layer 46 tensors.
    mtp:
      nMtp > 0
        ? { num_modules: nMtp, layer_kind: mtpIsMoe ? 'moe' : 'dense', stores_embedding: true, stores_head: true }
        : null,
    checkpoint_fp8_block: fp8Block(f),
  };
}

function grok1(f: Fields): Architecture {
  // Grok1Config defaults tie_word_embeddings=True (xai-org/grok-1 model.py: one in_out_embed).
  const c = common(f, true);
  const H = f.int('num_attention_heads');
  return {
    model_type: 'grok-1',
    ...c,
    lm_head_bias: false,
    // xai-org/grok-1 model.py (and the HF port modeling_grok1.py): every projection is
    // Linear(with_bias=False); head_dim = hidden / heads (key_size 128).
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    // Four RMSNorms per layer: before and after attention and before and after the MoE block.
    norm_type: 'rmsnorm',
    norm_bias: false,
    norms_per_layer: 4,
    final_norm: true,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    // intermediate_size = ffn_size(6144, widening 8) = 32768; gated MLP (linear, linear_v,
    // linear_1), router Linear(d, E) without bias.
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}

/** The model_type of a config; Grok-1's published config.json carries none, only its architecture name. */
export function detectModelType(config: unknown, file?: string): string {
  if (!isObj(config)) throw new InvalidFieldError('(root)', 'a JSON object', config, undefined, file);
  const mt = config['model_type'];
  if (typeof mt === 'string' && mt.length > 0) return mt;
  const archs = config['architectures'];
  if (Array.isArray(archs) && archs.some((a) => a === 'Grok1ModelForCausalLM' || a === 'Grok1ForCausalLM')) {
    return 'grok-1';
  }
  throw new MissingFieldError('model_type', undefined, file);
}

/**
 * Build an `Architecture` from a Hugging Face config.json object (already parsed).
 * `file` only labels error messages.
 *
 * @throws UnsupportedModelError for a model_type outside SUPPORTED_MODEL_TYPES
 * @throws MissingFieldError / InvalidFieldError naming the offending field
 */
export function architectureFromHfConfig(config: unknown, file?: string): Architecture {
  const modelType = detectModelType(config, file);
  const f = new Fields(config as Obj, '', modelType, file);
  switch (modelType) {
    case 'mixtral':
      return mixtral(f);
    case 'qwen2_moe':
      return qwen2Moe(f);
    case 'qwen3_moe':
      return qwen3Moe(f);
    case 'deepseek_v2':
    case 'deepseek_v3':
    case 'kimi_k2': // Kimi K2 ships DeepseekV3ForCausalLM with its own model_type
      return deepseek(f, modelType);
    case 'llama4':
    case 'llama4_text':
      return llama4(f, modelType);
    case 'gpt_oss':
      return gptOss(f);
    case 'olmoe':
      return olmoe(f);
    case 'dbrx':
      return dbrx(f);
    case 'phimoe':
      return phimoe(f);
    case 'glm4_moe':
      return glm4Moe(f);
    case 'grok-1':
      return grok1(f);
    case 'deepseek_v4':
      return deepseekV4(f);
    case 'kimi_k25':
      return kimiK25(f);
    case 'qwen3_5_moe':
      return qwen35Moe(f);
    case 'glm_moe_dsa':
      return glmMoeDsa(f);
    case 'minimax_m2':
      return minimaxM2(f);
    default:
      throw new UnsupportedModelError(modelType, file);
  }
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

/**
 * Whether the config declares a storage format that `arch` does not model (then total_checkpoint
 * and stored_elements are logical counts, not what the checkpoint stores).
 */
export function storageUnmodelled(config: unknown, arch: Architecture): boolean {
  if (!isObj(config)) return false;
  return quantizationConfigs(config).some((q) => !quantModelled(q, arch));
}

/**
 * Whether the counter models the storage `q` declares for `arch`. One rule for
 * `storageUnmodelled` and `checkpointNotes`, so the null stored_elements and the notes agree.
 */
function quantModelled(q: Obj, arch: Architecture): boolean {
  if (q['quant_method'] === 'fp8') return arch.checkpoint_fp8_block != null;
  if (q['quant_method'] === 'compressed-tensors') return arch.checkpoint_expert_quant?.format === 'int4_pack_quantized';
  return false;
}

/**
 * Notes on what the checkpoint of `config` stores and which number says what, given the
 * `Architecture` read from it: storage formats the counter models (block-FP8 scales, FP4 or INT4
 * routed experts, hash-routing tables), those it does not, and modules the config declares but
 * the release does not ship.
 */
export function checkpointNotes(config: unknown, arch: Architecture): string[] {
  if (!isObj(config)) return [];
  const notes: string[] = [];
  for (const q of quantizationConfigs(config)) {
    const method = typeof q['quant_method'] === 'string' ? q['quant_method'] : 'unknown';
    const bs = q['weight_block_size'];
    if (!quantModelled(q, arch)) {
      notes.push(
        `checkpoint is quantised (${method}); its storage is not modelled for this family: counts are logical parameters, not stored elements`,
      );
    } else if (method === 'fp8') {
      const tile = Array.isArray(bs) ? bs.join('x') : `${arch.checkpoint_fp8_block}x${arch.checkpoint_fp8_block}`;
      notes.push(
        `checkpoint is block-FP8 (${tile}); total_checkpoint adds its weight_scale_inv tensors, one scale per tile`,
      );
    } else {
      // modelled compressed-tensors: INT4 pack-quantized experts, so checkpoint_expert_quant is set
      notes.push(
        `routed experts are INT4 (compressed-tensors pack-quantized, group ${arch.checkpoint_expert_quant?.group_size}), ` +
          'eight per stored int32 element: total_checkpoint counts them per weight as the Hub does, plus their BF16 group ' +
          'scales and int32 weight_shape tensors (the Hub counts every int32 element 8 times, those too); ' +
          'stored_elements counts each int32 element once; total_logical is the parameter count',
      );
    }
  }
  const eq = arch.checkpoint_expert_quant;
  if (eq?.format === 'fp4_e2m1_x2') {
    notes.push(
      `routed experts are FP4 (E2M1), two per stored int8 element, with one UE8M0 scale per ${eq.group_size} weights: ` +
        "total_checkpoint and stored_elements count stored elements (the Hub's figure), not parameters; " +
        'total_logical is the parameter count',
    );
  }
  if ((arch.num_hash_layers ?? 0) > 0) {
    notes.push(
      `the first ${arch.num_hash_layers} MoE layers route by a token-to-expert table (vocab x top-k integers): ` +
        'stored in the checkpoint, not parameters, and not active',
    );
  }
  if (arch.model_type === 'minimax_m2' && config['use_mtp'] === true) {
    const n = typeof config['num_mtp_modules'] === 'number' ? `${config['num_mtp_modules']} ` : '';
    notes.push(
      `the config declares ${n}MTP modules (use_mtp) that the released checkpoint does not contain; not counted`,
    );
  }
  return notes;
}
