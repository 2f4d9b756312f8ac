import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { deepseek } from './deepseek.js';

/**
 * DeepSeek-V3.2 (model_type "deepseek_v32"): DeepSeek-V3 with the lightning indexer of DeepSeek
 * Sparse Attention in every layer, MTP layers included (inference/model.py of
 * deepseek-ai/DeepSeek-V3.2-Exp: `Indexer` with wq_b Linear(q_lora_rank, index_n_heads ·
 * index_head_dim), wk Linear(dim, index_head_dim), k_norm LayerNorm(index_head_dim) and
 * weights_proj Linear(dim, index_n_heads)), the module glm_moe_dsa counts too. The rest is V3:
 * MLA, the noaux_tc router with its score-correction bias, shared experts, and MTP layers that
 * store their own embedding and head.
 */
export function deepseekV32(f: Fields): Architecture {
  const base = deepseek(f, 'deepseek_v32');
  return {
    ...base,
    dsa_indexer: { n_heads: f.int('index_n_heads'), head_dim: f.int('index_head_dim'), layers: null },
  };
}
