import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common, llamaAttention } from './common.js';

/**
 * DeepSeekMoE (model_type "deepseek", DeepSeekMoE 16B), the remote-code modeling_deepseek.py of
 * deepseek-ai/deepseek-moe-16b-base: Llama attention (q/k/v/o with bias per attention_bias), a
 * dense DeepseekMLP in the first first_k_dense_replace layers, then DeepseekMoE where
 * layer_idx % moe_layer_freq == 0: MoEGate weight [n_routed_experts, d] without bias, routed
 * experts of moe_intermediate_size, and one shared DeepseekMLP of
 * moe_intermediate_size × n_shared_experts without a gate.
 */
export function deepseekMoe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, 'none');
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const freq = f.intOr('moe_layer_freq', 1, 1);
  const nShared = f.intOr('n_shared_experts', 0, 0);
  const moeI = f.int('moe_intermediate_size');
  return {
    model_type: 'deepseek',
    ...c,
    lm_head_bias: false,
    ...attention,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    // one MLP n_shared wide is n_shared experts' worth of parameters
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: firstK,
    moe_layer_period: freq,
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 || freq > 1 ? f.int('intermediate_size') : null,
  };
}
