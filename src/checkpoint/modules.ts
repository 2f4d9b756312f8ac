/**
 * Which counted module a tensor belongs to, from its name alone. The names follow the Hugging Face
 * modeling code of the families in src/arch/hf-config/families (model.embed_tokens,
 * model.layers.N.self_attn.*, mlp.gate, mlp.experts.*, shared_expert(s), …), the vendors' own
 * layouts where the release keeps them (DeepSeek-V4 `layers.N.attn`, `ffn`, `hc_*`; DBRX
 * `transformer.blocks.N`; Nemotron-H `backbone.*`), vision-language wrappers (`model.language_model.*`,
 * `language_model.model.*`, `visual.*`, `vision_tower.*`, `multi_modal_projector.*`) and GGUF's
 * llama.cpp names (`token_embd`, `blk.N.attn_q`, `ffn_gate_exps`, …).
 *
 * Hybrid models name a layer's token mixer by where it sits, not by what it is: Nemotron-H calls
 * every block's module `mixer` (Mamba-2, attention, MLP or MoE), MiniMax and Kimi Linear call both
 * their recurrent and their softmax attention `self_attn`. So the classifier is told each layer's
 * kind (the Architecture's `layer_attention`) and puts the mixer where the count puts that kind.
 */
import type { LayerAttentionKind } from '../arch/types.js';
import { WEIGHT_PARTS, type WeightPart } from '../arch/memory.js';

/** The rows of the reconciliation: the count's modules and what the checkpoint stores besides them. */
/** A row of the reconciliation: a weight part of the count, or the quantisation scales of all of them. */
export type CheckpointModule = WeightPart | 'quantization_scales';
export const CHECKPOINT_MODULES: readonly CheckpointModule[] = [
  ...WEIGHT_PARTS.filter((p) => p !== 'routing_tables'),
  'quantization_scales',
  'routing_tables',
];

/** What the classifier needs to know of the model. */
export interface NameContext {
  /** main-model decoder layers; `layers.N` with N at or past it is an MTP layer (DeepSeek-V3, GLM-4.5) */
  num_layers: number;
  /** each main layer's token mixer (`layerAttentionKinds`); absent: every layer softmax attention */
  layer_kinds?: readonly LayerAttentionKind[];
  /**
   * whether the model has routed experts (default true). Without them a shared MLP is the layer's
   * dense FFN: Granite-4.0-H-Micro's `shared_mlp` with num_local_experts 0.
   */
  has_experts?: boolean;
  /**
   * whether a layer's plain `mlp` runs beside routed experts held at the layer itself (`experts.*`,
   * `router.*`) and is counted as their always-active shared expert: Gemma 4's MoE variants
   * (default false: a plain `mlp` is the layer's dense FFN)
   */
  mlp_beside_experts?: boolean;
}

/** Scale, zero-point and shape tensors of quantised linears: block-FP8, FP4/INT4 groups, compressed-tensors. */
const QUANT_SUFFIX =
  /(?:^|[._])(?:weight_scale_inv|scale_inv|weight_scale(?:_2)?|weight_block_scale|weight_global_scale|input_scale|input_global_scale|weight_shape|weight_zero_point|qzeros|g_idx)$|_scales$|\.scales?$/;

/** Vision towers and their projectors into the language model. */
const VISION =
  /(?:^|\.)(?:visual|vision_tower|vision_model|vision_encoder|multi_modal_projector|mm_projector|vision_projection)\./;

/** Prefixes that wrap the language model inside a vision-language checkpoint. */
const WRAPPERS =
  /^(?:model\.language_model\.|language_model\.model\.|language_model\.|model\.text_model\.|model\.|transformer\.|backbone\.)/;

/** A decoder layer's index and the rest of the name (HF `layers.N`, DBRX `blocks.N`, GGUF `blk.N`). */
const LAYER = /^(?:layers|blocks|h|blk)\.(\d+)\.(.+)$/;

/**
 * Separate multi-token-prediction stacks: Qwen3-Next/3.5 `mtp.*`, MiMo `mtp_layers.*`, DeepSeek-V4
 * `mtp.N.*`, LongCat-Flash `model.mtp.*`; ERNIE 4.5 `mtp_block.N` with its `mtp_emb_norm.N`,
 * `mtp_hidden_norm.N` and `mtp_linear_proj.N` (modeling_ernie4_5_moe.py skips them on load).
 */
const MTP_STACK = /^(?:mtp|mtp_layers|mtp_block|mtp_emb_norm|mtp_hidden_norm|mtp_linear_proj)\./;

/** The module of the token mixer `rest` (the name inside its layer) of a layer of kind `kind`, or null. */
function hybridMixerPart(rest: string, kind: LayerAttentionKind): CheckpointModule | 'ffn' | null {
  const mamba = kind === 'mamba' || kind === 'mamba2';
  // Jamba's and Granite-4.0-H's Mamba mixers are `mamba.*` whatever the config says the layer is
  if (/^mamba\./.test(rest)) return 'mamba';
  // LFM2's gated short convolution (Lfm2ShortConv: in_proj, conv, out_proj)
  if (/^conv\./.test(rest)) return 'short_conv';
  // Nemotron-H: every block's one module is `mixer`; MLP and MoE blocks (kind none) hold an FFN
  if (/^mixer\./.test(rest)) {
    if (mamba) return 'mamba';
    if (kind === 'none') return 'ffn';
    return 'attention';
  }
  // MiniMax lightning attention and Kimi Delta Attention live in `self_attn` beside softmax layers
  if (/^self_attn\./.test(rest) && (kind === 'lightning' || kind === 'kda')) return 'linear_attention';
  return null;
}

/**
 * llama.cpp's names for recurrent mixers (gguf-py constants.py): `ssm_*` for Mamba and for Gated
 * DeltaNet alike (Qwen3-Next's linear layers also keep `attn_qkv` and `attn_gate`), `shortconv.*`
 * for LFM2; the layer's kind says which module they are.
 */
function ggufRecurrentPart(rest: string, kind: LayerAttentionKind): CheckpointModule | null {
  if (/^shortconv\./.test(rest)) return 'short_conv';
  const recurrent =
    kind === 'mamba' || kind === 'mamba2'
      ? 'mamba'
      : kind === 'linear' || kind === 'lightning' || kind === 'kda'
        ? 'linear_attention'
        : null;
  if (recurrent === null) return null;
  if (/^ssm_/.test(rest) || (/^attn_/.test(rest) && !/^attn_norm\./.test(rest))) return recurrent;
  return null;
}

function layerPart(
  inner: string,
  kind: LayerAttentionKind,
  hasExperts: boolean,
  mlpBesideExperts: boolean,
  gguf: boolean,
): CheckpointModule | null {
  let rest = inner;
  if (gguf) {
    const g = ggufRecurrentPart(rest, kind);
    if (g !== null) return g;
  }
  const hybrid = hybridMixerPart(rest, kind);
  if (hybrid === 'ffn') rest = rest.replace(/^mixer\./, 'mlp.');
  else if (hybrid !== null) return hybrid;
  const m = ffnOrMixerPart(rest);
  // Gemma 4 MoE: the dense `mlp` runs for every token beside the layer's own experts
  if (m === 'dense_ffn' && mlpBesideExperts && /^mlp\./.test(rest)) return 'shared_experts';
  // a shared MLP with no routed experts beside it is the layer's dense FFN (Granite-4.0-H-Micro)
  if (m === 'shared_experts' && !hasExperts) return 'dense_ffn';
  return m;
}

function ffnOrMixerPart(rest: string): CheckpointModule | null {
  // the token mixer: softmax attention (with its indexer and compressor), Gated DeltaNet
  if (/(?:^|\.)indexer\./.test(rest)) return 'indexers';
  if (/(?:^|\.)compressor\./.test(rest)) return 'compressors';
  if (/^linear_attn\./.test(rest)) return 'linear_attention';
  if (/^hc_/.test(rest)) return 'hyper_connections';
  // JetMoE's `self_attention` holds its mixture of attention heads, their router and output bias, all
  // counted as attention; LongCat-Flash's two sublayers are `self_attn.0` and `self_attn.1`
  if (/^(?:self_attn|self_attention|attn|attention|norm_attn_norm\.attn)\./.test(rest)) return 'attention';
  // GGUF (llama.cpp) names
  if (/^attn_norm\.|^ffn_norm\.|^post_attention_norm\.|^post_ffw_norm\./.test(rest)) return 'norms';
  if (/^attn_(?:q|k|v|o|qkv|output|q_a|q_b|kv_a_mqa|kv_b|k_b|v_b|q_a_norm|kv_a_norm|q_norm|k_norm|sinks)\b/.test(rest))
    return 'attention';
  if (/^ffn_(?:gate|up|down|gate_up)_exps\./.test(rest)) return 'routed_experts';
  if (/^ffn_(?:gate|up|down)_shexp\./.test(rest) || /^ffn_gate_inp_shexp\./.test(rest)) return 'shared_experts';
  if (/^ffn_gate_inp\.|^exp_probs_b\./.test(rest)) return 'router';
  if (/^ffn_(?:gate|up|down)\./.test(rest)) return 'dense_ffn';
  // the FFN: routed experts, shared experts, the router, or a dense MLP
  if (/(?:^|\.)shared_experts?(?:_gate)?\.|(?:^|\.)shared_mlp\./.test(rest)) return 'shared_experts';
  // Snowflake Arctic's dense residual MLP beside the MoE, counted as an always-active shared expert
  if (/^residual_mlp\./.test(rest)) return 'shared_experts';
  // LongCat-Flash: the first sublayer's dense MLP runs beside the MoE and is counted as its shared
  // expert, the second sublayer's is the dense FFN of the count's odd layers
  if (/^mlps\.0\./.test(rest)) return 'shared_experts';
  if (/^mlps\.1\./.test(rest)) return 'dense_ffn';
  if (/(?:^|\.)experts\./.test(rest)) return 'routed_experts';
  // Granite MoE and JetMoE ParallelExperts: every expert in one input_linear / output_linear weight
  if (/^(?:mlp|block_sparse_moe)\.(?:input_linear|output_linear)\.weight$/.test(rest)) return 'routed_experts';
  if (/(?:^|\.)tid2eid$/.test(rest)) return 'routing_tables';
  if (
    /^(?:mlp|block_sparse_moe|feed_forward|ffn|moe|moe_block)\.(?:gate|router)(?:\.layer|\.wg|\.classifier)?\.(?:weight|bias|e_score_correction_bias|expert_bias)$/.test(
      rest,
    )
  )
    return 'router';
  if (/(?:^|\.)e_score_correction_bias$/.test(rest)) return 'router';
  // Gemma 4's router sits beside the experts at the layer itself: proj, the input scale and per_expert_scale
  if (/^router\.(?:proj\.weight|scale|per_expert_scale)$/.test(rest)) return 'router';
  // LFM2-MoE's expert_bias buffer beside its gate; JetMoE's MoE output bias, counted with the router
  if (/^feed_forward\.expert_bias$|^mlp\.bias$/.test(rest)) return 'router';
  // Arctic's non-MoE layers keep their dense ArcticMLP inside the block: block_sparse_moe.mlp
  if (/^(?:mlp|feed_forward|ffn|block_sparse_moe\.mlp)\./.test(rest)) return 'dense_ffn';
  // the layer's own norms (attention's QK norms were taken above)
  if (/(?:norm|layernorm|ln)[_\d]*\.(?:weight|bias)$|(?:^|\.)(?:norm_\d|ln_\d)\./.test(rest)) return 'norms';
  // LongCat-Flash's per-sublayer norms: input_layernorm.0, post_attention_layernorm.1
  if (/^(?:input_layernorm|post_attention_layernorm)\.\d+\.weight$/.test(rest)) return 'norms';
  if (/^(?:attn_norm|ffn_norm)\./.test(rest)) return 'norms';
  // Gemma 4's per-layer output scalar, a stored buffer counted with the norms
  if (rest === 'layer_scalar') return 'norms';
  return null;
}

/** The module of one MTP tensor: its own embedding or head copy, else the module proper. */
function mtpPart(rest: string): CheckpointModule {
  if (/(?:^|\.)embed_tokens\.|(?:^|\.)shared_head\.head\.|(?:^|\.)embed\.|(?:^|\.)head\.weight$/.test(rest))
    return 'mtp_stored_copies';
  return 'mtp';
}

/**
 * The module a tensor belongs to, or null for a name no pattern explains. Quantisation scales are
 * one module whatever linear they scale, because the count gives them as one figure.
 */
export function classifyTensor(name: string, ctx: NameContext): CheckpointModule | null {
  // RoPE frequency tables are buffers, recomputed at load time and never counted: older exports stored them
  if (/(?:^|\.)inv_freq$/.test(name)) return null;
  // Gemma 4's `router.scale` is a weight of the router (a per-channel input scale), not a quantisation scale
  if (QUANT_SUFFIX.test(name) && !/\.router\.scale$/.test(name)) return 'quantization_scales';
  if (VISION.test(`.${name}`) || /^(?:v|mm)\./.test(name)) return 'vision';
  let rest = name;
  for (let i = 0; i < 3; i++) {
    const stripped = rest.replace(WRAPPERS, '');
    if (stripped === rest) break;
    rest = stripped;
  }
  if (MTP_STACK.test(rest)) return mtpPart(rest.replace(MTP_STACK, ''));
  const layer = LAYER.exec(rest);
  if (layer) {
    const index = Number(layer[1]);
    const inner = layer[2]!;
    if (index >= ctx.num_layers) return mtpPart(inner);
    if (/^nextn\./.test(inner)) return mtpPart(inner); // GGUF names of MTP layers
    const gguf = rest.startsWith('blk.');
    return layerPart(
      inner,
      ctx.layer_kinds?.[index] ?? 'full',
      ctx.has_experts ?? true,
      ctx.mlp_beside_experts ?? false,
      gguf,
    );
  }
  // Nemotron-H `embeddings`, Ling (bailing) `word_embeddings`
  if (
    /^(?:embed_tokens|wte|tok_embeddings|embed|embeddings|word_embeddings|embeddings\.word_embeddings|token_embd)\.weight$/.test(
      rest,
    )
  )
    return 'embedding';
  if (/^(?:lm_head|head|output)\.(?:weight|bias)$/.test(rest)) return 'lm_head';
  // LFM2 names its final norm embedding_norm
  if (/^(?:norm|norm_f|final_layernorm|ln_f|output_norm|embedding_norm)\.(?:weight|bias)$/.test(rest)) return 'norms';
  if (/^hc_head/.test(rest)) return 'hyper_connections';
  return null;
}
