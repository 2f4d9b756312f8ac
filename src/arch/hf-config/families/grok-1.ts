import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, common } from './common.js';

export function grok1(f: Fields): Architecture {
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
