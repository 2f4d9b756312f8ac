/**
 * Attention-core FLOPs per token (the score and value products against the cached context; the
 * projections are weights and counted as 2 × parameters elsewhere), as three coefficients of the
 * context c: full × c + windowed × min(c, window) + fixed.
 *
 * - GQA, per layer and context token: QKᵀ 2·H·d_h and AV 2·H·d_h, so 4·H·d_h (K/V heads shared
 *   by groups change the cache, not the FLOPs).
 * - MLA with the absorbed projections (DeepSeek-V2, arXiv:2405.04434 §2.1.3; the decode path of
 *   DeepSeek-V3's inference code): every head scores against the latent and rope key
 *   (2·(d_c + d_r)) and reads values from the latent (2·d_c): 2·H·(2·d_c + d_r).
 * - sliding layers: the same per token, capped at the window.
 * - DeepSeek-V4 CSA/HCA layers: one K=V head of head_dim c_h, so 4·H·c_h per entry, over the
 *   window plus one compressed entry per `ratio` tokens.
 * - linear (Gated DeltaNet) layers: a fixed 4 × the recurrent state's elements (update and readout,
 *   two matrix-vector products against the state), whatever the context.
 * DSA's top-k selection (GLM-5) is not modelled: its layers count as full attention, an over-estimate
 * past the selection size.
 */
import { layerAttentionKinds } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';

export interface AttentionCost {
  /** FLOPs per token per context token, summed over the layers whose attention spans the whole context */
  full: number;
  /** FLOPs per token per windowed context token, summed over windowed layers */
  windowed: number;
  /** the window, tokens (0 with no windowed layer) */
  window: number;
  /** FLOPs per token that do not depend on the context (linear-attention layers) */
  fixed: number;
}

export function attentionCost(arch: Architecture): AttentionCost {
  const kinds = layerAttentionKinds(arch);
  const H = arch.num_attention_heads;
  const out: AttentionCost = { full: 0, windowed: 0, window: arch.sliding_window ?? 0, fixed: 0 };
  if (arch.attention_type === 'csa_hca') {
    const perEntry = 4 * H * arch.head_dim;
    for (let i = 0; i < kinds.length; i++) {
      const ratio = arch.compress_ratios[i] ?? 0;
      out.windowed += perEntry;
      if (ratio > 0) out.full += perEntry / ratio;
    }
    return out;
  }
  const perToken =
    arch.attention_type === 'mla' ? 2 * H * (2 * arch.kv_lora_rank + arch.qk_rope_head_dim) : 4 * H * arch.head_dim;
  const state = arch.linear_attention_state?.recurrent_elements ?? 0;
  for (const kind of kinds) {
    if (kind === 'linear') out.fixed += 4 * state;
    else if (kind === 'sliding' && out.window > 0) out.windowed += perToken;
    else out.full += perToken;
  }
  return out;
}
