/** Architecture fields most families share, read or fixed the same way. */
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
