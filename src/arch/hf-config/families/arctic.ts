import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { common } from './common.js';

/**
 * Snowflake Arctic (model_type "arctic", the remote-code modeling_arctic.py of
 * Snowflake/snowflake-arctic-instruct). Mixtral-style attention (no biases) and experts
 * (w1/w2/w3 of intermediate_size, router Linear(d, E) without bias); layer i is MoE iff
 * (i + 1) % moe_layer_frequency == 0. With parallel_attn_mlp_res, every MoE layer also runs a
 * dense residual ArcticMLP beside the experts, whose width is the hidden size
 * (`ffn_dim = hidden_dim` when is_residual_mlp), behind its own residual_layernorm. That MLP runs
 * for every token, so it is counted as one always-active shared expert of width d.
 */
export function arctic(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const freq = f.intOr('moe_layer_frequency', 2, 1);
  const residual = f.bool('parallel_attn_mlp_res', false);
  // the residual MLP's norm exists in MoE layers only; one norm count per layer cannot say so
  if (residual && freq > 1) f.invalid('moe_layer_frequency', '1 when parallel_attn_mlp_res is true (not modelled)');
  const I = f.int('intermediate_size');
  return {
    model_type: 'arctic',
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    norm_type: 'rmsnorm',
    norm_bias: false,
    // input_layernorm, post_attention_layernorm, and residual_layernorm with the residual MLP
    norms_per_layer: residual ? 3 : 2,
    final_norm: true,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: I,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: residual ? 1 : 0,
    shared_expert_intermediate_size: residual ? c.hidden_size : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: 0,
    moe_layer_period: freq,
    moe_layer_offset: freq - 1,
    // non-MoE layers run ArcticMLP(config): a gated MLP of intermediate_size
    dense_intermediate_size: freq > 1 ? I : null,
  };
}
