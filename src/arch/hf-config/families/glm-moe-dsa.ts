import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { deepseek } from './deepseek.js';

/** Indices of the layers with their own DSA indexer (transformers GlmMoeDsaConfig.indexer_types); null = all. */
function dsaIndexerLayers(f: Fields, L: number): number[] | null {
  let types = f.strList('indexer_types');
  if (types === undefined && f.has('index_topk_pattern')) {
    const pat = f.raw('index_topk_pattern');
    if (typeof pat === 'string') {
      types = [...pat].map((ch, i) => {
        if (ch === 'F') return 'full';
        if (ch === 'S') return 'shared';
        return f.invalid('index_topk_pattern', `a string of F (full) and S (shared), not "${ch}" at ${i}`);
      });
    } else {
      types = f.strList('index_topk_pattern');
    }
  }
  if (types === undefined) {
    // layer i runs its own indexer iff max(i - offset + 1, 0) % freq == 0 (default freq 1: all)
    const freq = Math.max(f.intOr('index_topk_freq', 1, 0), 1);
    const offset = f.intOr('index_skip_topk_offset', 2, 0);
    types = Array.from({ length: L }, (_, i) => (Math.max(i - offset + 1, 0) % freq === 0 ? 'full' : 'shared'));
  }
  const own: number[] = [];
  for (let i = 0; i < L; i++) {
    const t = types[i];
    if (t === 'full') own.push(i);
    else if (t !== 'shared') f.invalid('indexer_types', `"full" or "shared" for each of the ${L} layers`);
  }
  return own.length === L ? null : own;
}

export function glmMoeDsa(f: Fields): Architecture {
  const base = deepseek(f, 'glm_moe_dsa');
  const L = base.num_layers;
  return {
    ...base,
    // GlmMoeDsaTopkRouter (= DeepSeek-V3's) always carries e_score_correction_bias.
    router_score_correction_bias: true,
    // GlmMoeDsaAttention = DeepSeek-V3.2 MLA + DeepseekV32Indexer: wq_b Linear(q_lora_rank,
    // index_n_heads·index_head_dim), wk Linear(hidden, index_head_dim), k_norm LayerNorm(index_head_dim)
    // with bias, weights_proj Linear(hidden, index_n_heads), none with bias.
    dsa_indexer: { n_heads: f.int('index_n_heads'), head_dim: f.int('index_head_dim'), layers: dsaIndexerLayers(f, L) },
    // The GLM-5 checkpoint's MTP layer (model.layers.{num_hidden_layers}, with its own indexer) shares
    // the main model's embedding and head: zai-org/GLM-5's Hub total 753,864,139,008 is the main model
    // plus that layer with no embedding/head copies (GLM-4.5 stored copies; GLM-5 does not).
    mtp: base.mtp ? { ...base.mtp, stores_embedding: false, stores_head: false } : null,
  };
}
