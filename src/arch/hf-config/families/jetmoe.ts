import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common } from './common.js';

/**
 * JetMoE (modeling_jetmoe.py): every layer has a mixture of attention heads (JetMoeMoA: the q and
 * o projections are num_local_experts experts of d → kv_channels·num_key_value_heads and back,
 * num_experts_per_tok chosen by a router Linear(d, E), plus an output bias d; k and v from one
 * kv_proj Linear(d, 2·K·kv_channels)) and a JetMoeMoE block (ParallelExperts input_linear [E, 2I, d]
 * and output_linear [E, d, I], router Linear(d, E), an output bias d), two RMSNorms, no other
 * biases. The query heads are num_key_value_heads × num_experts_per_tok (JetMoeConfig). The head is
 * tied by default.
 */
export function jetmoe(f: Fields): Architecture {
  const c = common(f, true);
  const K = f.int('num_key_value_heads');
  const E = f.int('num_local_experts');
  const k = f.int('num_experts_per_tok');
  return {
    model_type: 'jetmoe',
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: K * k,
    num_key_value_heads: K,
    head_dim: f.int('kv_channels'),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    attention_experts: { num_experts: E, top_k: k },
    ...RMS_PRE_NORMS,
    num_experts: E,
    num_experts_per_tok: k,
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    moe_output_bias: true,
    ...EVERY_LAYER_MOE,
  };
}
