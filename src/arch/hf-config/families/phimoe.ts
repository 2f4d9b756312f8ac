import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, common, llamaAttention } from './common.js';

export function phimoe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, 'none');
  return {
    model_type: 'phimoe',
    ...c,
    // PhimoeForCausalLM: lm_head = Linear(d, V, bias=config.lm_head_bias) (true for Phi-3.5-MoE).
    lm_head_bias: f.bool('lm_head_bias', false),
    // PhimoeAttention = LlamaAttention: q/k/v/o biases follow config.attention_bias
    // (true in Phi-3.5-MoE's config).
    ...attention,
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
