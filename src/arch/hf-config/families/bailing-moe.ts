import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';

/**
 * Ling (Bailing MoE), the remote-code modeling_bailing_moe.py (model_type "bailing_moe", Ling
 * 1.x) and modeling_bailing_moe_v2.py ("bailing_moe_v2", Ling 2.0 / Ring 2.0): a fused
 * query_key_value Linear(d, (H + 2K)·hd) with bias per use_qkv_bias and the output `dense`
 * Linear(H·hd, d) with bias per use_bias; layer i is MoE iff i >= first_k_dense_replace, else a
 * dense MLP of intermediate_size; the MoE block has a router weight [E, d], experts of
 * moe_intermediate_size and one shared MLP num_shared_experts times as wide, all without bias.
 * V2 adds query_layernorm / key_layernorm RMSNorm(head_dim) and the router's expert_bias buffer
 * [E] (sigmoid routing with aux-loss-free balancing).
 */
function bailing(f: Fields, v2: boolean): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const nShared = f.intOr('num_shared_experts', 0, 0);
  const moeI = f.int('moe_intermediate_size');
  return {
    model_type: v2 ? 'bailing_moe_v2' : 'bailing_moe',
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: f.bool('use_qkv_bias', false),
    attention_out_bias: f.bool('use_bias', false),
    qk_norm: f.bool('use_qk_norm', v2) ? 'per_head' : 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: v2,
    first_k_dense_replace: firstK,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 ? f.int('intermediate_size') : null,
  };
}

export function bailingMoe(f: Fields): Architecture {
  return bailing(f, false);
}

export function bailingMoeV2(f: Fields): Architecture {
  return bailing(f, true);
}
