import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, llamaAttention } from './common.js';
import { llama4Vision } from '../vision.js';

export function llama4(top: Fields, modelType: string): Architecture {
  const f = modelType === 'llama4' ? top.sub('text_config') : top;
  const hidden = f.int('hidden_size');
  const L = f.int('num_hidden_layers');
  // modeling_llama4 Llama4TextAttention: q/k/v/o biases follow config.attention_bias;
  // use_qk_norm is Llama4TextL2Norm, which has no weight.
  const attention = llamaAttention(f, hidden, f.bool('use_qk_norm', false) ? 'l2_no_weight' : 'none');
  const step = f.intOr('interleave_moe_layer_step', 1, 1);
  // Llama4TextConfig: moe_layers defaults to range(step - 1, L, step).
  const explicit = f.intList('moe_layers');
  const moeLayers = explicit ?? null;
  const moeCount = explicit ? explicit.filter((i) => i < L).length : Math.ceil((L - (step - 1)) / step);
  const tie = f.has('tie_word_embeddings')
    ? f.bool('tie_word_embeddings', false)
    : top.bool('tie_word_embeddings', false);
  const vision =
    modelType === 'llama4' && top.has('vision_config') ? llama4Vision(top.sub('vision_config'), hidden) : null;
  return {
    model_type: modelType,
    hidden_size: hidden,
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: tie,
    lm_head_bias: false,
    ...attention,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    // Llama4TextMoe: Llama4Router = Linear(d, E, bias=False) and one shared_expert
    // Llama4TextMLP(intermediate_size), ungated.
    num_shared_experts: 1,
    shared_expert_intermediate_size: f.int('intermediate_size'),
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: 0,
    moe_layer_period: step,
    moe_layer_offset: step - 1,
    moe_layers: moeLayers,
    // Dense layers use Llama4TextMLP(intermediate_size_mlp).
    dense_intermediate_size: moeCount < L ? f.int('intermediate_size_mlp') : null,
    vision,
  };
}
