import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common } from './common.js';

export function mixtral(f: Fields): Architecture {
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
