import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, RMS_PRE_NORMS, common } from './common.js';

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
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  const I = f.uniformInt('intermediate_size');
  const moeI = f.has('moe_intermediate_size') ? f.uniformInt('moe_intermediate_size') : I;
  // HunYuanMoE always builds one shared_mlp; the vendor's num_shared_expert says how many
  const nShared = f.has('num_shared_expert') ? f.uniformInt('num_shared_expert', 0) : 1;
  return {
    model_type: 'hunyuan_v1_moe',
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: f.bool('use_qk_norm', true) ? 'per_head' : 'none',
    attention_sinks: false,
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
