/**
 * One snake_case schema for a Mixture-of-Experts decoder architecture.
 *
 * Every field is a fact about tensor shapes: `countParameters` (count.ts) turns an
 * `Architecture` into exact parameter counts, and `architectureFromHfConfig`
 * (hf-config.ts) builds one from a Hugging Face `config.json`.
 *
 * Field names follow the schema used for the preset reference data (`hidden_size`,
 * `attention_type`, `norms_per_layer`, ...), so a preset's `arch` record is an
 * `Architecture` as it stands.
 */

export type NormType = 'rmsnorm' | 'layernorm';

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
  /** width of a LayerNorm (with bias) in front of the projector, if any */
  projector_norm?: number | null;
  /** layers applied inside the vision model after the blocks (e.g. Llama 4's pixel-shuffle MLP) */
  adapter: LinearSpec[];
  /** layers projecting into the language model's hidden size */
  projector: LinearSpec[];
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

  mtp?: MtpSpec | null;
  vision?: VisionSpec | null;
  /** block size of block-FP8 weights whose F32 scale tensors the checkpoint stores (and its count includes) */
  checkpoint_fp8_block?: number | null;
}

export type Architecture = ArchitectureBase & (GqaAttentionFields | MlaAttentionFields);

/** Parameter counts by module, whole model (all layers). Integers. */
export interface ModuleCounts {
  /** input embedding V·d */
  embedding: number;
  /** output head V·d (+V bias); 0 when tied to the embedding */
  lm_head: number;
  /** attention in every layer: projections, biases, QK norms, sinks, MLA's latent norms */
  attention: number;
  /** per-layer norms of every layer plus the final norm */
  norms: number;
  /** routers of every MoE layer: weight, bias, score-correction bias */
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
}

export interface Breakdown {
  modules: ModuleCounts;
  extra: ExtraCounts;
  layers: { total: number; moe: number; dense: number };

  /** the language model: embeddings + layers + final norm + head; no MTP, no vision */
  total_main: number;
  /** everything the checkpoint stores: main + MTP + stored copies + vision + FP8 scales */
  total_checkpoint: number;
  /** canonical: embedding + head + final norm + all attention/norms/routers + top-k routed + all shared + dense layers */
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
