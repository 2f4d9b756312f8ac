import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';

/** Qwen-style sparse-step rule plus `mlp_only_layers`: explicit MoE layer list when needed. */
export function qwenMoeLayers(f: Fields, numLayers: number) {
  const step = f.intOr('decoder_sparse_step', 1, 1);
  const mlpOnly = f.intList('mlp_only_layers') ?? [];
  // modeling_qwen2_moe / modeling_qwen3_moe: MoE iff i not in mlp_only_layers and (i+1) % step == 0
  const layers = {
    first_k_dense_replace: 0,
    moe_layer_period: step,
    moe_layer_offset: step - 1,
    moe_layers: null as number[] | null,
  };
  if (mlpOnly.length > 0) {
    const idx: number[] = [];
    for (let i = 0; i < numLayers; i++) if (!mlpOnly.includes(i) && (i + 1) % step === 0) idx.push(i);
    layers.moe_layers = idx;
  }
  const anyDense = mlpOnly.some((i) => i < numLayers) || step > 1;
  return { ...layers, dense_intermediate_size: anyDense ? f.int('intermediate_size') : null };
}

export function qwen2Moe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const sharedI = f.int('shared_expert_intermediate_size', 0);
  return {
    model_type: 'qwen2_moe',
    ...c,
    lm_head_bias: false,
    // modeling_qwen2_moe: q/k/v_proj carry a bias (config.qkv_bias, default True; older
    // releases hard-code bias=True), o_proj has none; no QK norm.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: f.bool('qkv_bias', true),
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    // Qwen2MoeSparseMoeBlock: one shared_expert MLP of shared_expert_intermediate_size and a
    // sigmoid shared_expert_gate = Linear(d, 1, bias=False); the router has no bias.
    num_shared_experts: sharedI > 0 ? 1 : 0,
    shared_expert_intermediate_size: sharedI > 0 ? sharedI : null,
    shared_expert_gate: sharedI > 0,
    router_bias: false,
    router_score_correction_bias: false,
    ...qwenMoeLayers(f, c.num_layers),
  };
}
