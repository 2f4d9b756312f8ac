import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common, llamaAttention } from './common.js';

/**
 * dots.llm1 (modular_dots1.py): Qwen3 attention (q/k/v/o biases per attention_bias, q_norm and
 * k_norm RMSNorm(head_dim)) in DeepSeek-V3 decoder layers: layer i is MoE iff i >=
 * first_k_dense_replace, else a dense MLP of intermediate_size; the MoE block has the V3 router
 * (weight [E, d] and e_score_correction_bias [E]), routed experts of moe_intermediate_size and one
 * shared MLP n_shared_experts times as wide, without a gate. Layers from max_window_layers on use
 * sliding-window attention when sliding_window is set (Dots1Config.__post_init__), unless the
 * config lists layer_types.
 */
export function dots1(f: Fields): Architecture {
  const c = common(f);
  const L = c.num_layers;
  const attention = llamaAttention(f, c.hidden_size, 'per_head');
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const nShared = f.intOr('n_shared_experts', 0, 0);
  const moeI = f.int('moe_intermediate_size');
  const window = f.has('sliding_window') ? f.int('sliding_window') : null;
  const maxWindow = f.intOr('max_window_layers', L, 0);
  const types = f.strList('layer_types');
  if (types !== undefined && types.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const kinds = Array.from({ length: L }, (_, i): LayerAttentionKind => {
    const t = types ? types[i] : window != null && i >= maxWindow ? 'sliding_attention' : 'full_attention';
    if (t === 'full_attention') return 'full';
    if (t === 'sliding_attention') return window == null ? 'full' : 'sliding';
    return f.invalid('layer_types', '"full_attention" or "sliding_attention" entries');
  });
  return {
    model_type: 'dots1',
    ...c,
    lm_head_bias: false,
    ...attention,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    first_k_dense_replace: firstK,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 ? f.int('intermediate_size') : null,
    layer_attention: kinds,
    sliding_window: window,
  };
}
