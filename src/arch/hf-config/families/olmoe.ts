import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common, llamaAttention } from './common.js';

export function olmoe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, 'full');
  return {
    model_type: 'olmoe',
    ...c,
    lm_head_bias: false,
    // modeling_olmoe OlmoeAttention: q_norm = RMSNorm(hidden_size) and
    // k_norm = RMSNorm(head_dim · num_key_value_heads) over the full projections ("full"
    // QK norm); q/k/v/o biases follow config.attention_bias (LlamaAttention).
    ...attention,
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
