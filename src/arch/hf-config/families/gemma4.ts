import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { NO_SHARED, common } from './common.js';

/**
 * Gemma 4 (modular_gemma4.py), the text model under `text_config`. Layers are `sliding_attention`
 * (head_dim, num_key_value_heads) or `full_attention` ("global": head_dim `global_head_dim`, and
 * with `attention_k_eq_v` num_global_key_value_heads KV heads and no v_proj, the keys being the
 * values); `layer_types` defaults to five sliding then one full, the last layer always full.
 * Gemma4TextAttention: q/k/v/o with `attention_bias`, q_norm and k_norm RMSNorm(head_dim) of the
 * layer's head_dim, a v_norm without weight. Every layer: the Gemma 3 four norms, a gated MLP of
 * intermediate_size and a `layer_scalar` buffer (stored); with `enable_moe_block` (the MoE variants,
 * gemma-4-26B-A4B) also a router (proj E·d, a scale d and per_expert_scale E; its input norm has no
 * weight), E gated experts of moe_intermediate_size (MixtralExperts) picking top_k_experts, and three
 * more norms. The MLP runs beside the experts for every token, so it is counted as one always-active
 * shared expert. Embeddings tied by default.
 *
 * Not modelled, so refused: per-layer embeddings (`hidden_size_per_layer_input` > 0, Gemma 4 E2B/E4B)
 * and layers that reuse another layer's keys and values (`num_kv_shared_layers` > 0). The vision and
 * audio towers are not counted.
 */
export function gemma4(f: Fields, modelType: string): Architecture {
  const c = common(f, true);
  const L = c.num_layers;
  if (f.intOr('hidden_size_per_layer_input', 0, 0) > 0) {
    f.invalid('hidden_size_per_layer_input', '0 (per-layer embeddings are not modelled)');
  }
  if (f.intOr('num_kv_shared_layers', 0, 0) > 0) {
    f.invalid('num_kv_shared_layers', '0 (layers sharing another layer’s keys and values are not modelled)');
  }
  const types = f.strList('layer_types') ?? Array.from({ length: L }, (_, i) => ((i + 1) % 6 === 0 ? 'full' : 's'));
  if (types.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const kinds = types.map((t, i): LayerAttentionKind => {
    // Gemma4TextConfig forces the last layer to full attention
    if (i === L - 1 || t === 'full_attention' || t === 'full') return 'full';
    if (t === 'sliding_attention' || t === 's') return 'sliding';
    return f.invalid('layer_types', '"full_attention" or "sliding_attention" entries');
  });
  const H = f.int('num_attention_heads');
  const K = f.int('num_key_value_heads');
  const hd = f.int('head_dim');
  const kEqV = f.bool('attention_k_eq_v', false);
  const globalHd = f.intOr('global_head_dim', 512, 1);
  // num_global_key_value_heads applies only with attention_k_eq_v (Gemma4TextAttention)
  const globalK = kEqV ? f.intOr('num_global_key_value_heads', K, 1) : K;
  const bias = f.bool('attention_bias', false);
  const moe = f.bool('enable_moe_block', false);
  const E = moe ? f.int('num_experts') : 0;
  const window = f.int('sliding_window');
  const sliding = kinds.includes('sliding');
  return {
    model_type: modelType,
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    // the fields describe the full (global) layers, `sliding_attention` the others
    num_attention_heads: H,
    num_key_value_heads: globalK,
    head_dim: globalHd,
    shared_kv: kEqV,
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'per_head',
    attention_sinks: false,
    sliding_attention: sliding
      ? { num_attention_heads: H, num_key_value_heads: K, head_dim: hd, v_head_dim: hd, attention_sinks: false }
      : null,
    norm_type: 'rmsnorm',
    norm_bias: false,
    // input, post-attention, pre- and post-feedforward; the MoE block adds post_feedforward_layernorm_1
    // and _2 and pre_feedforward_layernorm_2
    norms_per_layer: moe ? 7 : 4,
    final_norm: true,
    layer_scalar: true,
    num_experts: E,
    num_experts_per_tok: moe ? f.int('top_k_experts') : 0,
    moe_intermediate_size: moe ? f.int('moe_intermediate_size') : 0,
    expert_gated: true,
    expert_bias: false,
    ...(moe
      ? {
          num_shared_experts: 1,
          shared_expert_intermediate_size: f.int('intermediate_size'),
          shared_expert_gate: false,
        }
      : NO_SHARED),
    router_bias: false,
    router_score_correction_bias: false,
    router_scales: moe,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: moe ? null : f.int('intermediate_size'),
    layer_attention: kinds,
    sliding_window: sliding ? window : null,
  };
}
