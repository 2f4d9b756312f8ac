import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, RMS_PRE_NORMS, llamaAttention } from './common.js';
import { qwen35Vision } from '../vision.js';
import { gatedDeltaNetState } from '../../count.js';

export function qwen35Moe(top: Fields): Architecture {
  return qwenGatedDeltaNetMoe(top, top.sub('text_config'), 'qwen3_5_moe', false);
}

/**
 * The Qwen3-Next / Qwen3.5-MoE text model: `f` holds its fields (Qwen3.5's text_config, Qwen3-Next's
 * top level). With `denseLayers` (Qwen3-Next: Qwen3NextDecoderLayer) layer i is MoE iff it is not in
 * mlp_only_layers and (i + 1) % decoder_sparse_step == 0, else a dense MLP of intermediate_size.
 */
export function qwenGatedDeltaNetMoe(top: Fields, f: Fields, modelType: string, denseLayers: boolean): Architecture {
  const hidden = f.int('hidden_size');
  const L = f.int('num_hidden_layers');
  // Qwen3_5MoeAttention (= Qwen3NextAttention): q_proj Linear(d, H·hd·2) carrying the sigmoid
  // output gate, k/v_proj Linear(d, K·hd), o_proj Linear(H·hd, d), biases per attention_bias;
  // q_norm/k_norm RMSNorm(head_dim) per head.
  const attention = llamaAttention(f, hidden, 'per_head');
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
  if (!denseLayers && mlpOnly.length > 0)
    f.invalid('mlp_only_layers', 'empty (every Qwen3.5-MoE decoder layer is sparse)');
  const step = denseLayers ? f.intOr('decoder_sparse_step', 1, 1) : 1;
  const moeLayers = Array.from({ length: L }, (_, i) => i).filter((i) => !mlpOnly.includes(i) && (i + 1) % step === 0);
  const sharedI = f.intOr('shared_expert_intermediate_size', 0, 0);
  const nMtp = f.intOr('mtp_num_hidden_layers', 0, 0);
  const tie = f.has('tie_word_embeddings')
    ? f.bool('tie_word_embeddings', false)
    : top.bool('tie_word_embeddings', false);
  return {
    model_type: modelType,
    hidden_size: hidden,
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: tie,
    lm_head_bias: false,
    ...attention,
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
    ...(moeLayers.length < L ? { moe_layers: moeLayers, dense_intermediate_size: f.int('intermediate_size') } : {}),
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
