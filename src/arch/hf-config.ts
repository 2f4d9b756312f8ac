/**
 * Build an `Architecture` from a Hugging Face `config.json` as the hub ships it.
 *
 * Only the config's own fields are read (never a table of known models), so any size of a
 * supported family is counted. Where the modeling code fixes a property that the config
 * does not carry (a bias, a norm kind, a gate), it is encoded per family below with the
 * reason, citing the transformers modeling file (or the model's own reference code).
 */
import type { Architecture, MtpSpec, VisionSpec } from './types.js';

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

function isObj(v: unknown): v is Obj {
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

  private missing(key: string): never {
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

function deepseek(f: Fields, modelType: string): Architecture {
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
  const tie = f.has('tie_word_embeddings') ? f.bool('tie_word_embeddings', false) : top.bool('tie_word_embeddings', false);
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
    default:
      throw new UnsupportedModelError(modelType, file);
  }
}

/**
 * Notes about how a config's checkpoint is stored (quantisation), for display.
 * Counts are always logical parameters; only block-FP8 scale tensors are added to
 * total_checkpoint.
 */
export function quantizationNotes(config: unknown): string[] {
  if (!isObj(config)) return [];
  const notes: string[] = [];
  const seen = new Set<unknown>();
  for (const c of [config, config['text_config']]) {
    if (!isObj(c)) continue;
    const q = c['quantization_config'];
    if (!isObj(q) || seen.has(q)) continue;
    seen.add(q);
    const method = typeof q['quant_method'] === 'string' ? q['quant_method'] : 'unknown';
    const bs = q['weight_block_size'];
    if (method === 'fp8' && Array.isArray(bs)) {
      notes.push(
        `checkpoint is block-FP8 (${bs.join('x')}); total_checkpoint adds its F32 weight_scale_inv tensors`,
      );
    } else {
      notes.push(`checkpoint is quantised (${method}); counts are logical parameters, not stored elements`);
    }
  }
  return notes;
}
