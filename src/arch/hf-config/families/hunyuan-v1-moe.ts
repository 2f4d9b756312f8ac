import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, RMS_PRE_NORMS, common, llamaAttention } from './common.js';

/**
 * Hunyuan MoE V1 (modular_hunyuan_v1_moe.py; Hunyuan-A13B). Every decoder layer is HunYuanMoE:
 * a shared_mlp, a router `wg` Linear(d, E) without bias and E experts, all gated MLPs without
 * bias. Llama attention (q/k/v/o biases per attention_bias) with query_layernorm and
 * key_layernorm RMSNorm(head_dim). transformers sizes the experts and the shared MLP with
 * intermediate_size; the vendor's config also writes moe_intermediate_size, num_experts,
 * moe_topk and num_shared_expert per layer, read here when their entries agree.
 */
export function hunyuanV1Moe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, f.bool('use_qk_norm', true) ? 'per_head' : 'none');
  const I = f.uniformInt('intermediate_size');
  const moeI = f.has('moe_intermediate_size') ? f.uniformInt('moe_intermediate_size') : I;
  // HunYuanMoE always builds one shared_mlp; the vendor's num_shared_expert says how many
  const nShared = f.has('num_shared_expert') ? f.uniformInt('num_shared_expert', 0) : 1;
  return {
    model_type: 'hunyuan_v1_moe',
    ...c,
    lm_head_bias: false,
    ...attention,
    ...RMS_PRE_NORMS,
    num_experts: f.uniformInt('num_experts'),
    num_experts_per_tok: f.uniformInt('moe_topk'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? I : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}
