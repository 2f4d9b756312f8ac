/**
 * One snake_case schema for a Mixture-of-Experts decoder architecture.
 *
 * Every field is a fact about tensor shapes: `countParameters` (count.ts) turns an
 * `Architecture` into exact parameter counts, and `architectureFromHfConfig`
 * (hf-config/) builds one from a Hugging Face `config.json`.
 *
 * Field names follow the schema used for the preset reference data (`hidden_size`,
 * `attention_type`, `norms_per_layer`, ...), so a preset's `arch` record is an
 * `Architecture` as it stands.
 *
 * Three numbers are kept apart: parameters (total_main, total_logical: logical counts, whatever
 * the storage), what the checkpoint stores as the Hub counts it (total_checkpoint: + scale
 * tensors, routing tables, packed sub-byte weights), and the tensor elements in its files
 * (stored_elements). The `checkpoint_*` fields say how the release stores its weights where the
 * config says so.
 */

export type NormType = 'rmsnorm' | 'layernorm';

/**
 * The token mixer of one decoder layer, as a KV-cache calculator needs to know it:
 * - `full`: softmax attention over the whole context; caches every token (GQA: 2·K·head_dim
 *   values per token; MLA: kv_lora_rank + qk_rope_head_dim; plus `dsa_indexer.head_dim` when the
 *   layer has a DSA indexer, whose keys are cached too)
 * - `sliding`: attention over the last `sliding_window` tokens only; the cache is capped at the window
 * - `linear`: linear attention (Gated DeltaNet): a fixed-size state per sequence
 *   (`linear_attention_state`), independent of the context length
 * - `csa` / `hca` (DeepSeek-V4): the last `sliding_window` tokens uncompressed plus one compressed
 *   entry per `compress_ratios[i]` tokens, each `head_dim` values (one K=V head); `csa` layers
 *   also cache the lightning indexer's compressed keys (`index_head_dim` values per entry)
 * - `mamba` (Mamba-1 selective SSM, `mamba`), `mamba2` (Mamba-2 SSD, `mamba2`), `lightning`
 *   (MiniMax lightning linear attention, `lightning_attention`), `kda` (Kimi Delta Attention,
 *   `kda`), `short_conv` (LFM2 gated short convolution, `short_conv`): recurrent mixers with a
 *   fixed-size state per sequence (`linear_attention_state`), like `linear`
 * - `none`: no token mixer in this layer (Nemotron-H's MLP and MoE blocks)
 */
export type LayerAttentionKind =
  | 'full'
  | 'sliding'
  | 'linear'
  | 'csa'
  | 'hca'
  | 'mamba'
  | 'mamba2'
  | 'lightning'
  | 'kda'
  | 'short_conv'
  | 'none';

/** The layer kinds whose state per sequence is fixed (recurrent mixers): KV-cache `linear` layers. */
export const RECURRENT_KINDS: readonly LayerAttentionKind[] = [
  'linear',
  'mamba',
  'mamba2',
  'lightning',
  'kda',
  'short_conv',
];

/**
 * QK normalisation inside attention:
 * - `none`
 * - `per_head`: one RMSNorm(head_dim) for q and one for k, shared by all heads (2·head_dim; Qwen3, GLM-4.5)
 * - `full`: RMSNorm over the whole q and k projections (H·head_dim + K·head_dim; OLMoE, MiniMax-M2)
 * - `l2_no_weight`: weightless L2 norm (Llama 4): no parameters
 */
export type QkNorm = 'none' | 'per_head' | 'full' | 'l2_no_weight';

/** Grouped-query (or multi-head, multi-query) attention. */
export interface GqaAttentionFields {
  attention_type: 'gqa';
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  /** bias on the q, k and v projections */
  attention_qkv_bias: boolean;
  /** bias on the output projection */
  attention_out_bias: boolean;
  qk_norm: QkNorm;
  /** one learned sink logit per query head (gpt-oss) */
  attention_sinks: boolean;
  /**
   * sigmoid output gate computed by q_proj, which is then twice as wide (H·head_dim·2;
   * Qwen3-Next / Qwen3.5 gated attention); default false
   */
  attention_output_gate?: boolean;
  /**
   * mixture of attention heads (JetMoE MoA): q and o projections are `num_experts` experts, each
   * a d → K·head_dim input and K·head_dim → d output linear, `top_k` of them chosen per token by a
   * router Linear(d, E) (H = top_k·K query heads), plus an output bias d; k and v come from one
   * kv_proj Linear(d, 2·K·head_dim). Absent = ordinary q/k/v/o projections.
   */
  attention_experts?: AttentionExpertsSpec | null;
  /**
   * width of each value head when it differs from the q/k head_dim (MiMo-V2: q/k 192, v 128): v_proj
   * d → K·v_head_dim and o_proj H·v_head_dim → d; the KV cache holds K·(head_dim + v_head_dim) per
   * token. Absent = head_dim.
   */
  v_head_dim?: number | null;
  /**
   * the attention shape of the `sliding` layers when it differs from the other layers' (MiMo-V2: the
   * sliding-window layers have twice the KV heads and the only attention sinks; Gemma 4: its global
   * layers have head_dim 512 and fewer KV heads); the fields above then describe the full-attention
   * layers. Biases and QK norm (per head, of each kind's head_dim) are the same in both kinds.
   */
  sliding_attention?: GqaShape | null;
  /**
   * no v_proj: the key projection's output is also the value (Gemma 4 `attention_k_eq_v`, on its
   * global layers); keys and values are still cached apart (they are normed and rotated apart)
   */
  shared_kv?: boolean;
  /** lightning indexer of MiniMax-M3's sparse-attention layers; absent = none */
  block_indexer?: BlockIndexerSpec | null;
}

/**
 * MiniMax-M3 lightning indexer (`MiniMaxM3VLIndexer`) of block-sparse attention: q_proj d·n·h,
 * k_proj d·h (one key head), q_norm and k_norm RMSNorm(h), no biases; it selects key blocks and
 * adds no output of its own. Each of its layers caches one h-wide key per token.
 */
export interface BlockIndexerSpec {
  n_heads: number;
  head_dim: number;
  /** main layers that have one (the `minimax_m3_sparse` layers) */
  layers: number[];
}

/** The head counts and widths of one kind of GQA layer (see `GqaAttentionFields.sliding_attention`). */
export interface GqaShape {
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  /** null = head_dim */
  v_head_dim: number | null;
  attention_sinks: boolean;
  /** no v_proj (see `GqaAttentionFields.shared_kv`) */
  shared_kv?: boolean;
}

/** Attention experts (see `GqaAttentionFields.attention_experts`). */
export interface AttentionExpertsSpec {
  num_experts: number;
  top_k: number;
}

/**
 * DeepSeek-V3.2-style lightning indexer of DeepSeek Sparse Attention (GLM-5): per layer
 * wq_b r_q·n·h, wk d·h, k_norm LayerNorm(h) with bias, weights_proj d·n.
 */
export interface DsaIndexerSpec {
  n_heads: number;
  head_dim: number;
  /**
   * main layers that run their own indexer (the others reuse the previous one's top-k and
   * have none); null = every layer. MTP layers always have their own.
   */
  layers?: number[] | null;
}

/** Multi-head latent attention (DeepSeek-V2/V3, Kimi K2). */
export interface MlaAttentionFields {
  attention_type: 'mla';
  num_attention_heads: number;
  /** informational only (MLA has no separate k/v heads); equals num_attention_heads in the configs */
  num_key_value_heads?: number | null;
  head_dim?: null;
  /** null = full-rank q projection (DeepSeek-V2-Lite) */
  q_lora_rank: number | null;
  kv_lora_rank: number;
  qk_nope_head_dim: number;
  qk_rope_head_dim: number;
  v_head_dim: number;
  /** bias on q_a_proj and kv_a_proj_with_mqa (DeepSeek `attention_bias`); default false */
  attention_qkv_bias?: boolean;
  /** bias on o_proj (DeepSeek `attention_bias`); default false */
  attention_out_bias?: boolean;
  /** DSA lightning indexer (GLM-5 `glm_moe_dsa`); absent = none */
  dsa_indexer?: DsaIndexerSpec | null;
}

/**
 * DeepSeek-V4 attention (official inference/model.py `Attention`): low-rank q
 * (wq_a d·r_q, q_norm r_q, wq_b r_q·H·c), one K=V head (wkv d·c, kv_norm c), grouped low-rank
 * output (wo_a H·c·r_o, wo_b G·r_o·d) and one sink per head; c = head_dim. A layer with
 * compress ratio m > 0 adds a compressor (ape m·k·c, wkv d·k·c, wgate d·k·c, norm c, with k = 2
 * overlapping windows iff m = csa_compress_ratio, else 1); CSA layers (m = csa_compress_ratio)
 * add a lightning indexer (wq_b r_q·n_I·d_I, weights_proj d·n_I, and its own compressor over d_I).
 */
export interface CsaHcaAttentionFields {
  attention_type: 'csa_hca';
  num_attention_heads: number;
  /** one K=V head shared by every query head (the KV projection is d → head_dim) */
  num_key_value_heads: number;
  head_dim: number;
  q_lora_rank: number;
  qk_rope_head_dim: number;
  o_groups: number;
  o_lora_rank: number;
  /**
   * compress ratio of each layer: the main layers, then the MTP layers; 0 = no compression
   * (sliding window only), m = one compressed KV entry per m tokens
   */
  compress_ratios: number[];
  /** the ratio whose layers overlap their windows and have a lightning indexer (CSA); other nonzero ratios are HCA */
  csa_compress_ratio: number;
  index_n_heads: number;
  index_head_dim: number;
  attention_sinks: boolean;
}

/** Gated DeltaNet linear attention (Qwen3-Next / Qwen3.5 `linear_attention` layers). */
export interface GatedDeltaNetSpec {
  num_key_heads: number;
  key_head_dim: number;
  num_value_heads: number;
  value_head_dim: number;
  /** depthwise causal conv over q, k and v (no bias) */
  conv_kernel: number;
}

/**
 * Mamba-1 selective SSM mixer (Jamba `JambaMambaMixer`): in_proj d·2·d_inner (+bias), depthwise
 * conv1d d_inner·d_conv (+d_inner bias), x_proj d_inner·(dt_rank + 2·d_state), dt_proj
 * dt_rank·d_inner + d_inner, A_log d_inner·d_state, D d_inner, out_proj d_inner·d (+bias), and
 * (Jamba) RMSNorms over dt (dt_rank), B and C (d_state each).
 */
export interface MambaSpec {
  d_inner: number;
  d_state: number;
  d_conv: number;
  dt_rank: number;
  conv_bias: boolean;
  /** bias on in_proj and out_proj */
  proj_bias: boolean;
  /** RMSNorms on dt, B and C (Jamba's dt_layernorm, b_layernorm, c_layernorm) */
  inner_norms: boolean;
}

/**
 * Mamba-2 (SSD) mixer (`Mamba2Mixer`, Granite 4.0-H, Nemotron-H): d_inner = num_heads·head_dim,
 * conv_dim = d_inner + 2·n_groups·d_state; in_proj d·(d_inner + conv_dim + num_heads) (+bias),
 * depthwise conv1d conv_dim·d_conv (+conv_dim bias), dt_bias, A_log and D num_heads each, gated
 * RMSNorm d_inner, out_proj d_inner·d (+bias).
 */
export interface Mamba2Spec {
  num_heads: number;
  head_dim: number;
  n_groups: number;
  d_state: number;
  d_conv: number;
  conv_bias: boolean;
  proj_bias: boolean;
}

/**
 * MiniMax lightning attention (MiniMax-Text-01 `MiniMaxLightningAttention`): qkv_proj
 * d·3·H·hd, output_gate d·H·hd, norm RMSNorm(H·hd), out_proj H·hd·d, no biases; the per-head
 * decay is a fixed slope, not a parameter.
 */
export interface LightningAttentionSpec {
  num_heads: number;
  head_dim: number;
}

/**
 * Kimi Delta Attention (Kimi-Linear `KimiDeltaAttention`): q/k/v_proj d·H·dk (v: H·dv), depthwise
 * short convs on q, k, v (H·dk·kernel each, v H·dv·kernel, no bias), f_a_proj d·dv and f_b_proj
 * dv·H·dk (the low-rank decay gate), b_proj d·H (beta), A_log H, dt_bias H·dk, g_a_proj d·dv and
 * g_b_proj dv·H·dv (the output gate), o_norm dv, o_proj H·dv·d.
 */
export interface KdaSpec {
  num_heads: number;
  head_dim: number;
  conv_kernel: number;
}

/**
 * LFM2 gated short convolution (`Lfm2ShortConv`): in_proj d·3d, depthwise conv d·L_cache,
 * out_proj d·d, each with `bias` (the config's `conv_bias`).
 */
export interface ShortConvSpec {
  conv_kernel: number;
  bias: boolean;
}

/** The fixed-size state of one linear-attention layer for one sequence (it does not grow with context). */
export interface LinearAttentionState {
  /**
   * recurrent state: num_value_heads × key_head_dim × value_head_dim values (Gated DeltaNet, KDA),
   * d_inner × d_state (Mamba-1), num_heads × head_dim × d_state (Mamba-2), H × hd × hd (lightning);
   * 0 for a short convolution
   */
  recurrent_elements: number;
  /** convolution state: the last conv_kernel − 1 inputs of every conv channel */
  conv_elements: number;
  /** dtype the config asks for the recurrent state (Qwen3.5 `mamba_ssm_dtype`), if it says */
  recurrent_dtype?: string | null;
}

/** Hyper-connections (DeepSeek-V4 mHC): `mult` parallel residual streams mixed by learned maps. */
export interface HyperConnectionsSpec {
  mult: number;
}

/**
 * Routed experts stored in a sub-byte format, as the config says:
 * - `fp4_e2m1_x2`: FP4 (E2M1) weights packed two per stored int8 element, one UE8M0 scale per
 *   `group_size` weights along the input dimension (DeepSeek-V4 `expert_dtype: fp4`)
 * - `int4_pack_quantized`: compressed-tensors INT4, eight weights per stored int32 element, one
 *   BF16 scale per `group_size` weights and a 2-element int32 `weight_shape` per linear
 */
export interface ExpertQuantSpec {
  format: 'fp4_e2m1_x2' | 'int4_pack_quantized';
  group_size: number;
}
/**
 * Every linear a block-FP8 checkpoint would store in FP8 (attention and linear-attention
 * projections, indexer projections, routed, shared and dense experts) stored instead in a packed
 * 4-bit format with its scales, as a `quantization_config` says for any family:
 * - `nvfp4` (quant_method "modelopt", NVFP4): weight [out, in/2] uint8 (two E2M1 per byte),
 *   weight_scale [out, in/16] FP8 E4M3, weight_scale_2 and input_scale F32 scalars
 * - `int4_awq` (AutoAWQ GEMM): qweight int32 [in, out/8], qzeros int32 [in/g, out/8], scales F16 [in/g, out]
 * - `int4_gptq` (GPTQ v1): qweight int32 [in/8, out], qzeros int32 [in/g, out/8], scales F16
 *   [in/g, out], g_idx int32 [in]
 * - `int4_ct` (compressed-tensors pack-quantized, symmetric): weight_packed int32 [out, in/8],
 *   weight_scale BF16 [out, in/g], weight_shape int32 [2]
 */
export interface LinearQuantSpec {
  format: 'nvfp4' | 'int4_awq' | 'int4_gptq' | 'int4_ct';
  /** weights per scale along the input dimension (16 for NVFP4) */
  group_size: number;
}

/** Multi-token-prediction modules (DeepSeek-V3 style), reported apart from the main model. */
export interface MtpSpec {
  num_modules: number;
  /** the decoder layer inside each module */
  layer_kind: 'moe' | 'dense';
  /** the checkpoint stores its own copy of the input embedding for each module */
  stores_embedding: boolean;
  /** the checkpoint stores its own copy of the output head for each module */
  stores_head: boolean;
  /** decoder layers inside each module (Qwen3-Next style `mtp_num_hidden_layers`); default 1 */
  layers_per_module?: number;
  /** the module's input projections are block-FP8 with scales (DeepSeek-V4 e_proj/h_proj); default false */
  fp8_proj?: boolean;
}

/** A linear layer as [in_features, out_features, has_bias]. */
export type LinearSpec = [number, number, boolean];

/**
 * A ViT-style vision tower with its adapter/projector into the language model.
 * Every block: q/k/v/o (hidden→hidden), a 2-layer MLP (hidden→intermediate→hidden)
 * and two LayerNorms with bias.
 */
export interface VisionSpec {
  hidden_size: number;
  num_layers: number;
  intermediate_size: number;
  patch_size: number;
  /** used to size the position table when num_positions is not given */
  image_size?: number;
  /** 3D patch embedding depth (video towers); default 1 */
  temporal_patch_size?: number;
  num_channels: number;
  attention_bias: boolean;
  mlp_bias: boolean;
  patch_bias: boolean;
  class_token: boolean;
  /** rows of the learned position table; default (image_size/patch_size)^2 (+1 with a class token) */
  num_positions?: number;
  pre_norm: boolean;
  post_norm: boolean;
  /** the tower's own norms (blocks, pre, post): LayerNorm with bias (default) or RMSNorm (weight only; GLM-4.1V/4.5V) */
  norm_type?: NormType;
  /** gated block MLP, gate and up hidden→intermediate and down back (GLM-4.1V/4.5V); default false */
  mlp_gated?: boolean;
  /** bias on the attention output projection; default attention_bias (as on q, k and v) */
  attention_out_bias?: boolean;
  /** width of a LayerNorm (with bias) in front of the projector, if any */
  projector_norm?: number | null;
  /** layers applied inside the vision model after the blocks (e.g. Llama 4's pixel-shuffle MLP) */
  adapter: LinearSpec[];
  /** layers projecting into the language model's hidden size */
  projector: LinearSpec[];
  /** further mergers, each a LayerNorm (with bias) of `norm` features and its layers (Qwen3-VL deepstack) */
  extra_mergers?: { norm: number; layers: LinearSpec[] }[];
}

export interface ArchitectureBase {
  /** informational: the family this came from (an HF model_type or a preset family) */
  model_type?: string;

  hidden_size: number;
  num_layers: number;
  /** rows actually stored in the embedding matrix */
  vocab_size: number;
  tie_word_embeddings: boolean;
  lm_head_bias: boolean;

  norm_type: NormType;
  /** LayerNorm with a bias vector (2·d per norm instead of d) */
  norm_bias: boolean;
  /** norms in each decoder layer (2 pre-norms; Grok-1 has 4) */
  norms_per_layer: number;
  final_norm: boolean;

  num_experts: number;
  num_experts_per_tok: number;
  moe_intermediate_size: number;
  /** gated (SwiGLU-style, 3 matrices) or plain (2 matrices); applies to routed and shared experts */
  expert_gated: boolean;
  /** expert biases (gpt-oss): 2·I + d per expert when gated, I + d when plain */
  expert_bias: boolean;

  num_shared_experts: number;
  shared_expert_intermediate_size: number | null;
  /** sigmoid gate Linear(d, 1) on the shared expert (Qwen2-MoE) */
  shared_expert_gate: boolean;

  /** router bias vector (E per MoE layer; gpt-oss) */
  router_bias: boolean;
  /** score-correction bias for aux-loss-free balancing (E per MoE layer; DeepSeek-V3 `e_score_correction_bias`) */
  router_score_correction_bias: boolean;

  /** the first k layers are dense */
  first_k_dense_replace: number;
  /** after those, layer i is MoE iff i % moe_layer_period == moe_layer_offset */
  moe_layer_period: number;
  moe_layer_offset: number;
  /** explicit MoE layer indices; when given, overrides the three fields above */
  moe_layers?: number[] | null;
  /** FFN width of the dense layers (gated, no bias); required when any layer is dense */
  dense_intermediate_size: number | null;
  /** dense FFNs are gated (3 matrices; default) or plain up/down (2 matrices: Nemotron-H's relu² MLP) */
  dense_gated?: boolean;
  /** layers with no FFN at all (Nemotron-H's Mamba and attention blocks); never MoE */
  no_ffn_layers?: number[] | null;

  mtp?: MtpSpec | null;
  vision?: VisionSpec | null;
  /** block size of block-FP8 weights whose F32 scale tensors the checkpoint stores (and its count includes) */
  checkpoint_fp8_block?: number | null;
  /** routed experts stored in a packed sub-byte format with group scales (they get no FP8 scales then) */
  checkpoint_expert_quant?: ExpertQuantSpec | null;
  /** every FP8-storable linear in a packed 4-bit format with its scales (routed experts too, unless checkpoint_expert_quant) */
  checkpoint_linear_quant?: LinearQuantSpec | null;

  /**
   * the token mixer of each main-model layer (length num_layers), for KV-cache sizing; absent =
   * the family's reader does not tell layers apart and every layer is reported `full`. For
   * `csa_hca` attention it follows compress_ratios (0 → sliding, csa ratio → csa, else hca).
   * Parameter counts depend on it only through `linear` layers and compress_ratios.
   */
  layer_attention?: LayerAttentionKind[] | null;
  /** tokens a `sliding` layer keeps (and the uncompressed window of `csa`/`hca` layers) */
  sliding_window?: number | null;
  /** the linear-attention mixer of `linear` layers */
  gated_deltanet?: GatedDeltaNetSpec | null;
  /** Mamba-1 mixer of `mamba` layers */
  mamba?: MambaSpec | null;
  /** Mamba-2 mixer of `mamba2` layers */
  mamba2?: Mamba2Spec | null;
  /** lightning attention of `lightning` layers */
  lightning_attention?: LightningAttentionSpec | null;
  /** Kimi Delta Attention of `kda` layers */
  kda?: KdaSpec | null;
  /** gated short convolution of `short_conv` layers */
  short_conv?: ShortConvSpec | null;
  /**
   * state of one recurrent layer (`linear`, `mamba`, `mamba2`, `lightning`, `kda`, `short_conv`)
   * per sequence, for a KV-cache calculator; a model has one recurrent kind
   */
  linear_attention_state?: LinearAttentionState | null;
  /** hyper-connections in every block and at the head (DeepSeek-V4) */
  hyper_connections?: HyperConnectionsSpec | null;
  /**
   * layers with index < num_hash_layers route by a token-to-expert table (vocab × top-k) instead of the learned scores;
   * no score-correction bias there
   */
  num_hash_layers?: number;
  /** a bias vector d added to the MoE block's output in every MoE layer (JetMoE), counted with the router */
  moe_output_bias?: boolean;
  /**
   * zero-computation (identity) experts the router may pick besides the num_experts real ones
   * (LongCat-Flash): the router scores num_experts + zero_experts outputs (weight, bias and
   * score-correction bias all that wide), and a token routed to one computes nothing, so its active
   * count varies between max(0, top-k − zero_experts) and top-k real experts; default 0
   */
  zero_experts?: number;
  /**
   * the router scales its input by a learned vector (d) and each expert's weight by a learned
   * scalar (E), counted with the router (Gemma 4 `Gemma4TextRouter.scale` and `per_expert_scale`)
   */
  router_scales?: boolean;
  /** one learned scalar per decoder layer multiplying its output, counted with the norms (Gemma 4 `layer_scalar`) */
  layer_scalar?: boolean;
}

export type Architecture = ArchitectureBase & (GqaAttentionFields | MlaAttentionFields | CsaHcaAttentionFields);

/** Parameter counts by module, whole model (all layers). Integers. */
export interface ModuleCounts {
  /** input embedding V·d */
  embedding: number;
  /** output head V·d (+V bias); 0 when tied to the embedding */
  lm_head: number;
  /** softmax attention in every layer: projections, biases, QK norms, sinks, MLA's latent norms */
  attention: number;
  /** linear-attention mixers: Gated DeltaNet, lightning attention and Kimi Delta Attention layers */
  linear_attention: number;
  /** Mamba-1 and Mamba-2 mixers of the `mamba` / `mamba2` layers */
  mamba: number;
  /** gated short convolutions of the `short_conv` layers (LFM2) */
  short_conv: number;
  /** KV compressors of DeepSeek-V4's CSA/HCA layers (their indexers' compressors are in `indexers`) */
  compressors: number;
  /** lightning indexers: DeepSeek-V4 CSA (with its compressor) and GLM-5 DSA */
  indexers: number;
  /** hyper-connection mixers of every block plus the head's */
  hyper_connections: number;
  /** per-layer norms of every layer plus the final norm */
  norms: number;
  /** routers of every MoE layer: weight, bias, score-correction bias (and the MoE output bias, JetMoE) */
  router: number;
  /** all routed experts of all MoE layers */
  routed_experts: number;
  /** all shared experts of all MoE layers, with their gates */
  shared_experts: number;
  /** the FFNs of the dense layers */
  dense_ffn: number;
}

/** What the checkpoint stores besides the main language model. */
export interface ExtraCounts {
  /** MTP modules' own parameters (norms, eh_proj, decoder layer, final norm) */
  mtp: number;
  /** duplicate embedding/head copies stored with the MTP modules */
  mtp_stored_copies: number;
  /** vision tower + adapter + projector */
  vision: number;
  /** F32 scale tensors of block-FP8 weights (ceil(out/b)·ceil(in/b) per weight) */
  fp8_scales: number;
  /** hash-routing tables (token → expert ids, vocab × top-k per hash layer): stored integers, not parameters */
  routing_tables: number;
  /**
   * group scales of sub-byte weights (out·ceil(in/group) per weight), with the zero points
   * (AWQ, GPTQ) and per-tensor scales (NVFP4) of 4-bit linears
   */
  quant_scales: number;
  /** elements of the int32 `weight_shape` (compressed-tensors, 2 each) and `g_idx` (GPTQ, in each) tensors */
  quant_shape_elements: number;
  /**
   * total_checkpoint − (total_logical + the four stored extras above): negative where weights are
   * packed (FP4: two per stored element), positive where the Hub counts an int32 as 32/bits
   * parameters (INT4: its shape tensors too); 0 otherwise
   */
  storage_adjustment: number;
}

export interface Breakdown {
  modules: ModuleCounts;
  extra: ExtraCounts;
  /** dense = layers with a dense FFN; without_ffn (only when some are) = layers with no FFN at all */
  layers: { total: number; moe: number; dense: number; without_ffn?: number };

  /** the language model: embeddings + layers + final norm + head; no MTP, no vision */
  total_main: number;
  /**
   * every parameter the checkpoint holds, at its logical count: main + MTP + stored copies + vision; no scales, tables
   * or packing
   */
  total_logical: number;
  /**
   * the checkpoint's count as the Hub reports it from the safetensors metadata: total_logical +
   * FP8 scales + routing tables + sub-byte scales and shape tensors + storage_adjustment
   * (FP4 experts counted two per stored element; INT4 experts counted per weight)
   */
  total_checkpoint: number;
  /**
   * tensor elements actually stored, every packed element counted once (differs from total_checkpoint only for INT4
   * packed in int32)
   */
  stored_elements: number;
  /**
   * canonical: embedding + head + final norm + all attention/norms/routers + top-k routed + all shared + dense layers
   */
  active: number;
  /** active − input embedding (gpt-oss, DeepSeek, Kimi) */
  active_excl_input_embedding: number;
  /** active − input embedding − head (GLM, MiniMax) */
  active_non_embedding: number;
  /** one routed expert summed over all MoE layers */
  expert_params: number;
  /** total_main − num_experts × expert_params */
  shared_params: number;
}
