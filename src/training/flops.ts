// Training compute, time and money. The FLOP convention is PaLM's "model FLOPs" (Chowdhery et al.
// 2022, arXiv:2204.02311, Appendix B): 6 FLOPs per parameter a token passes through (forward 2,
// backward 4) plus the attention score and value matmuls, 6·L·H·T·(d_qk + d_v) per token, with no
// halving for the causal mask and nothing for recomputation. docs/training.md has the derivation.

/** A layer's token mixer as the FLOP count sees it. */
export interface MixerShape {
  kind: 'softmax' | 'linear';
  /** query heads (softmax) or value heads (linear) */
  heads: number;
  /** query/key and value widths of one head (linear: key and value head dims) */
  dQk: number;
  dV: number;
  /** keys a query attends to at the sequence length: T, min(T, window), or window + T / ratio */
  keys: number;
}

/**
 * Attention FLOPs per token of one training step (forward + backward) over every layer:
 * softmax layers 6·H·T_keys·(d_qk + d_v) (PaLM's 12·H·Q·T per layer with d_qk = d_v = Q);
 * linear-attention layers (Gated DeltaNet, recurrent form) 18·H_v·d_k·d_v: the forward reads S^T k,
 * writes the rank-1 update and reads S^T q, three d_k·d_v multiply-adds per value head, tripled for
 * the backward like every other matmul.
 */
export function attentionFlopsPerToken(mixers: readonly MixerShape[]): number {
  let sum = 0;
  for (const m of mixers) {
    sum += m.kind === 'softmax' ? 6 * m.heads * m.keys * (m.dQk + m.dV) : 18 * m.heads * m.dQk * m.dV;
  }
  return sum;
}

/**
 * Model FLOPs of a training run: tokens × (6·N + attention per token), N the active parameters
 * without the input embedding (a lookup, not a matmul; the output head is a matmul and counts).
 */
export function trainingFlops(tokens: number, activeWithoutEmbedding: number, attentionPerToken: number): number {
  return tokens * (6 * activeWithoutEmbedding + attentionPerToken);
}

/** GPU-hours at a model-FLOPs utilisation `mfu` of a GPU's dense peak (FLOP/s). */
export function gpuHours(flops: number, peakFlopsPerS: number, mfu: number): number {
  return flops / (peakFlopsPerS * mfu) / 3600;
}

/** Wall-clock days on `count` GPUs. */
export function trainingDays(hours: number, count: number): number {
  return hours / count / 24;
}

/** The MFU a run of `flops` must have reached to take `hours` GPU-hours. */
export function impliedMfu(flops: number, hours: number, peakFlopsPerS: number): number {
  return flops / (hours * 3600 * peakFlopsPerS);
}
