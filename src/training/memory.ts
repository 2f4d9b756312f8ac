// Per-GPU training memory: weights, gradients and optimizer states as Megatron-LM counts them
// (megatron/training/theoretical_memory_usage.py), split over tensor, pipeline, expert and data
// parallel groups, plus the activations of the micro-batches in flight after Korthikanti et al.
// 2022, "Reducing Activation Recomputation in Large Transformer Models" (arXiv:2205.05198, Table 2),
// generalised to GQA/MLA attention, gated FFNs and MoE layers. Plain numbers in and out: the sweep
// calls these point by point. docs/training.md derives every term.

/**
 * What the memory of a design depends on, as plain numbers: the architecture's (built once per
 * architecture by facts.ts) and the point's (experts, top-k, parameter counts).
 */
export interface TrainingShape {
  layers: number;
  moeLayers: number;
  hidden: number;
  vocab: number;
  /** routed experts per MoE layer and how many a token uses */
  experts: number;
  topK: number;
  /** parameters of the input embedding and of everything outside the decoder layers besides it (head, final norm) */
  embedding: number;
  head: number;
  /** parameters of one MoE layer outside its routed experts, and of one dense layer */
  moeLayerShared: number;
  denseLayerShared: number;
  /** the part of those TP does not split: norms, router, shared-expert gate (replicated on every TP rank) */
  moeLayerReplicated: number;
  denseLayerReplicated: number;
  /** parameters of one routed expert in one layer */
  expertParamsPerLayer: number;
  // Activation bytes per token of one layer before any split (docs/training.md, "Activations").
  /** attention block, linear in T: inputs of the projections and of the score/value matmuls */
  actAttention: number;
  /** heads × keys of the widest attention layer: its score-sized tensors are 2 bytes each (5 with dropout) */
  actScoreHeadsKeys: number;
  /** the layer's norms: 2·h per norm */
  actNorms: number;
  /** a dense layer's FFN */
  actDenseMlp: number;
  /** an MoE layer outside its routed experts: router input and logits, shared experts */
  actMoeShared: number;
  /** one routed copy of a token: the parts that do not and do split over expert TP */
  actExpertFixed: number;
  actExpertWide: number;
  /** a layer's input, 2·h: all that full recomputation keeps */
  actInput: number;
}

export const RECOMPUTE = ['none', 'selective', 'full'] as const;
export type Recompute = (typeof RECOMPUTE)[number];

export interface Layout {
  tp: number;
  pp: number;
  ep: number;
  etp: number;
  cp: number;
  /** 0: plain data parallel; 1: optimizer states sharded (Megatron's distributed optimizer); 2: + gradients; 3: + weights */
  zero: number;
  /** 0 none, 1 selective, 2 full (index into RECOMPUTE) */
  recompute: number;
  microBatch: number;
}

export interface Precision {
  /** bytes per weight (2 for bf16), per gradient (4: fp32 main grads) and of the optimizer per parameter (12: fp32 master, m, v) */
  weight: number;
  grad: number;
  optimizer: number;
}

/** Megatron-LM's mixed precision with Adam: bf16 weights, fp32 grads, fp32 master weights and both moments: 18 bytes. */
export const MIXED_PRECISION: Precision = { weight: 2, grad: 4, optimizer: 12 };

/** Bytes per parameter kept on a GPU under ZeRO stage `zero` with the states sharded over `shards` ranks. */
export function bytesPerParameter(p: Precision, zero: number, shards: number): number {
  if (zero <= 0) return p.weight + p.grad + p.optimizer;
  if (zero === 1) return p.weight + p.grad + p.optimizer / shards;
  if (zero === 2) return p.weight + (p.grad + p.optimizer) / shards;
  return (p.weight + p.grad + p.optimizer) / shards;
}

/** Layers of the fullest pipeline stage: ⌈L / PP⌉, MoE layers first (they are the larger). */
export function stageLayers(
  s: Pick<TrainingShape, 'layers' | 'moeLayers'>,
  pp: number,
): { moe: number; dense: number } {
  const n = Math.ceil(s.layers / pp);
  const moe = Math.min(n, s.moeLayers);
  return { moe, dense: n - moe };
}

/**
 * Weights, gradients and optimizer states of the fullest GPU, bytes, in the three buckets of
 * Megatron-LM PR #4687 (Megatron-Bridge PR #3744): the dense part (every parameter outside the
 * routed experts) splits over TP but for its norms, routers and shared-expert gates, which every TP
 * rank holds whole, and shards its optimizer over the data-parallel group (DP × CP); routed experts
 * split over EP × ETP and shard over the expert data-parallel group, count / (PP × EP × ETP)
 * (deepspeedai/DeepSpeed#7156). The fullest stage holds ⌈L/PP⌉ layers and the input embedding (with
 * the output head too when PP = 1), as theoretical_memory_usage.py places them.
 */
export function weightOptimizerBytes(s: TrainingShape, l: Layout, count: number, p: Precision): number {
  const { moe, dense } = stageLayers(s, l.pp);
  const edge = l.pp === 1 ? s.embedding + s.head : Math.max(s.embedding, s.head);
  const replicated = moe * s.moeLayerReplicated + dense * s.denseLayerReplicated;
  const denseParams = (moe * s.moeLayerShared + dense * s.denseLayerShared + edge - replicated) / l.tp + replicated;
  const expertParams = (moe * Math.ceil(s.experts / l.ep) * s.expertParamsPerLayer) / l.etp;
  const dp = count / (l.tp * l.pp * l.cp);
  const edp = count / (l.pp * l.ep * l.etp);
  return denseParams * bytesPerParameter(p, l.zero, dp * l.cp) + expertParams * bytesPerParameter(p, l.zero, edp);
}

/**
 * Activation bytes of one layer for one micro-batch of `tokens` = micro_batch × seq_len / CP tokens
 * on one GPU. Sequence parallelism splits everything but the routed experts over TP; a routed copy
 * splits its FFN width over ETP, the ETP ranks each seeing the group's tokens (Korthikanti et al.
 * Table 2, rows "sequence parallel" and "selective recompute"; full recompute keeps the layer input).
 */
export function layerActivationBytes(
  s: TrainingShape,
  kind: 'moe' | 'dense',
  tokens: number,
  capacityFactor: number,
  dropout: boolean,
  l: Layout,
): number {
  const recompute = l.recompute;
  if (recompute === 2) return (tokens * s.actInput) / l.tp;
  let perToken = s.actAttention + s.actNorms;
  // dropout: the softmax output, its mask and the dropped output (2 + 1 + 2 bytes); else the softmax output
  if (recompute === 0) perToken += (dropout ? 5 : 2) * s.actScoreHeadsKeys;
  let expert = 0;
  if (kind === 'dense') perToken += s.actDenseMlp;
  else {
    perToken += s.actMoeShared;
    expert = ((tokens * l.etp) / l.tp) * s.topK * capacityFactor * (s.actExpertFixed + s.actExpertWide / l.etp);
  }
  return (tokens * perToken) / l.tp + expert;
}

/** Micro-batches the first pipeline stage holds under 1F1B: PP, or fewer when a step has fewer. */
export function inFlight(pp: number, microBatchesPerStep: number): number {
  return pp === 1 ? 1 : Math.min(pp, microBatchesPerStep);
}

/**
 * Activations of the fullest GPU: the first pipeline stage's ⌈L/PP⌉ layers for each micro-batch in
 * flight, plus, when PP = 1, the output layer's input and fp32 logits (theoretical_memory_usage.py's
 * 4·s·b·h·(1 + V/h)), all split over TP.
 */
export function activationBytes(
  s: TrainingShape,
  l: Layout,
  seqLen: number,
  capacityFactor: number,
  dropout: boolean,
  microBatchesPerStep: number,
): number {
  const { moe, dense } = stageLayers(s, l.pp);
  const tokens = (l.microBatch * seqLen) / l.cp;
  const perMicroBatch =
    moe * layerActivationBytes(s, 'moe', tokens, capacityFactor, dropout, l) +
    dense * layerActivationBytes(s, 'dense', tokens, capacityFactor, dropout, l);
  const output = l.pp === 1 ? (4 * tokens * (s.hidden + s.vocab)) / l.tp : 0;
  return perMicroBatch * inFlight(l.pp, microBatchesPerStep) + output;
}

/**
 * Korthikanti et al. 2022, Table 2, for the whole model on one GPU of a TP group: activation bytes
 * of L layers, s·b·h·L·(34 + 5·a·s/h) without recomputation, / t with tensor and sequence
 * parallelism, 34·s·b·h·L / t with selective recomputation, 2·s·b·h·L / t with full.
 */
export function korthikantiBytes(
  p: { s: number; b: number; h: number; a: number; L: number; t: number },
  recompute: Recompute,
): number {
  const sbhL = p.s * p.b * p.h * p.L;
  if (recompute === 'full') return (2 * sbhL) / p.t;
  if (recompute === 'selective') return (34 * sbhL) / p.t;
  return (sbhL * (34 + (5 * p.a * p.s) / p.h)) / p.t;
}
