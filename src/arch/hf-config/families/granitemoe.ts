import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common, llamaAttention } from './common.js';

/**
 * Granite MoE (modeling_granitemoe.py): Llama attention (q/k/v/o biases per attention_bias), and
 * in every layer GraniteMoeMoE: router Linear(d, E) without bias, ParallelExperts input_linear
 * [E, 2I, d] (gate and up in one) and output_linear [E, d, I], no biases; two RMSNorms per layer.
 * The multipliers (embedding, residual, attention, logits) scale activations, not shapes.
 */
export function granitemoe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, 'none');
  return {
    model_type: 'granitemoe',
    ...c,
    lm_head_bias: false,
    ...attention,
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

/**
 * Granite MoE with a shared expert (modular_granitemoeshared.py): Granite MoE plus, in every
 * layer, GraniteMoeSharedMLP: input_linear Linear(d, 2·shared_intermediate_size) (gate and up)
 * and output_linear Linear(shared_intermediate_size, d), no biases, no gate; none when
 * shared_intermediate_size is 0.
 */
export function granitemoeshared(f: Fields): Architecture {
  const sharedI = f.intOr('shared_intermediate_size', 0, 0);
  return {
    ...granitemoe(f),
    model_type: 'granitemoeshared',
    num_shared_experts: sharedI > 0 ? 1 : 0,
    shared_expert_intermediate_size: sharedI > 0 ? sharedI : null,
    shared_expert_gate: false,
  };
}
