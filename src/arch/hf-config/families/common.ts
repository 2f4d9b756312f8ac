/** Architecture fields most families share, read or fixed the same way. */
import type { QkNorm } from '../../types.js';
import type { Fields } from '../fields.js';

/** Parts shared by the GQA families: everything except what each family decides. */
export interface Common {
  hidden_size: number;
  num_layers: number;
  vocab_size: number;
  tie_word_embeddings: boolean;
}

export function common(f: Fields, tieDefault = false): Common {
  return {
    hidden_size: f.int('hidden_size'),
    num_layers: f.int('num_hidden_layers'),
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: f.bool('tie_word_embeddings', tieDefault),
  };
}

export const NO_SHARED = {
  num_shared_experts: 0,
  shared_expert_intermediate_size: null,
  shared_expert_gate: false,
} as const;

export const RMS_PRE_NORMS = {
  norm_type: 'rmsnorm',
  norm_bias: false,
  norms_per_layer: 2,
  final_norm: true,
} as const;

export const EVERY_LAYER_MOE = {
  first_k_dense_replace: 0,
  moe_layer_period: 1,
  moe_layer_offset: 0,
  dense_intermediate_size: null,
} as const;

/**
 * LlamaAttention as the Llama-derived MoE families configure it: GQA over num_key_value_heads
 * (default: one per attention head), head_dim (default hidden / heads), q/k/v/o biases all per
 * config.attention_bias, no attention sinks. The QK norm is the family's own.
 */
export function llamaAttention(f: Fields, hidden: number, qkNorm: QkNorm) {
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', false);
  return {
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(hidden, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: qkNorm,
    attention_sinks: false,
  } as const;
}
