// Which parallel layouts a design can train under, and which one to train it with when the spec
// leaves fields open. A layout is legal when every split is whole, as Megatron-LM's argument checks
// require (docs/training.md, "Layouts"); among legal layouts the search keeps those whose fullest GPU
// fits and picks the most throughput under a first-order model (recomputation and the pipeline
// bubble), or the least memory.
import { activationBytes, weightOptimizerBytes, type Layout, type Precision, type TrainingShape } from './memory.js';

/** What legality reads besides the memory shape. */
export interface LayoutFacts {
  heads: number;
  /** KV heads (GQA query groups) that TP splits; MLA's latent KV is not split: its heads count */
  queryGroups: number;
  /** FFN width of one routed expert (ETP splits it) */
  expertIntermediate: number;
}

/** Why a layout is illegal: index = code (0 legal). */
export const LAYOUT_PROBLEMS = [
  '',
  'GPU count not divisible by TP × PP × CP',
  'hidden size not divisible by TP',
  'attention heads not divisible by TP',
  'KV heads not divisible by TP',
  'routed experts not divisible by EP',
  'EP × ETP does not divide the GPUs of a pipeline stage',
  'expert FFN width not divisible by ETP',
  'more pipeline stages than layers can fill',
  'global batch not divisible by DP × micro_batch',
  'sequence length not divisible by 2 × CP',
  'EP > 1 without routed experts',
] as const;

/** 0 when the layout is legal for the design on `count` GPUs, else the LAYOUT_PROBLEMS code. */
export function layoutProblem(
  s: TrainingShape,
  f: LayoutFacts,
  l: Layout,
  count: number,
  seqLen: number,
  globalBatch: number,
): number {
  const modelParallel = l.tp * l.pp * l.cp;
  if (count % modelParallel !== 0) return 1;
  if (s.hidden % l.tp !== 0) return 2;
  if (f.heads % l.tp !== 0) return 3;
  if (f.queryGroups % l.tp !== 0) return 4;
  if (s.experts === 0 || s.moeLayers === 0) {
    if (l.ep > 1 || l.etp > 1) return 11;
  } else {
    if (s.experts % l.ep !== 0) return 5;
    if (f.expertIntermediate % l.etp !== 0) return 7;
  }
  if ((count / l.pp) % (l.ep * l.etp) !== 0) return 6;
  // Megatron places uneven splits with --decoder-first/last-pipeline-num-layers; what it cannot do is an empty stage
  if (l.pp > s.layers || (l.pp - 1) * Math.ceil(s.layers / l.pp) >= s.layers) return 8;
  const dp = count / modelParallel;
  if (globalBatch > 0 && globalBatch % (dp * l.microBatch) !== 0) return 9;
  if (l.cp > 1 && seqLen % (2 * l.cp) !== 0) return 10;
  return 0;
}

/** The layout problem in words, with the numbers that make it one. */
export function describeProblem(code: number, s: TrainingShape, f: LayoutFacts, l: Layout, count: number): string {
  const detail: Record<number, string> = {
    1: `${count} GPUs, TP ${l.tp} × PP ${l.pp} × CP ${l.cp} = ${l.tp * l.pp * l.cp}`,
    2: `hidden size ${s.hidden}, TP ${l.tp}`,
    3: `${f.heads} heads, TP ${l.tp}`,
    4: `${f.queryGroups} KV heads, TP ${l.tp}`,
    5: `${s.experts} experts, EP ${l.ep}`,
    6: `${count / l.pp} GPUs per stage, EP ${l.ep} × ETP ${l.etp}`,
    7: `expert FFN width ${f.expertIntermediate}, ETP ${l.etp}`,
    8: `${s.layers} layers, PP ${l.pp}`,
    9: `DP ${count / (l.tp * l.pp * l.cp)} × micro_batch ${l.microBatch}`,
    10: `CP ${l.cp}`,
    11: `EP ${l.ep}, ETP ${l.etp}`,
  };
  return `${LAYOUT_PROBLEMS[code]} (${detail[code] ?? ''})`;
}

/** A layout with fields left open (-1) for the search. */
export type OpenLayout = { [K in keyof Layout]: number };

export interface LayoutQuestion {
  count: number;
  seqLen: number;
  /** sequences per optimizer step; 0 when not given */
  globalBatch: number;
  capacityFactor: number;
  dropout: boolean;
  precision: Precision;
  gpuMemory: number;
  /** 'throughput': the fitting layout with the most throughput; 'memory': the least memory */
  search: 'throughput' | 'memory';
  /** the share of a step's model FLOPs in attention scores and values (what selective recomputation repeats) */
  attentionShare: number;
}

export interface LayoutAnswer {
  layout: Layout;
  /** bytes of the fullest GPU; Infinity when no layout is legal */
  bytes: number;
  fits: boolean;
  /** 0, or the problem of the (fixed) layout when no legal one exists */
  problem: number;
}

// Tensor parallelism stays inside one NVLink / Infinity Fabric domain of 8 GPUs.
const TP_OPTIONS = [1, 2, 4, 8];
const ETP_OPTIONS = [1, 2, 4, 8];
const PP_OPTIONS = [1, 2, 4, 8, 16, 32, 64];
const ZERO_OPTIONS = [1, 2, 3];
const RECOMPUTE_OPTIONS = [0, 1, 2];
/** Micro-batches per step the bubble is judged at when the spec gives no global batch. */
export const DEFAULT_MICRO_BATCHES_PER_PP = 8;

function options(fixed: number, open: readonly number[]): readonly number[] {
  return fixed >= 0 ? [fixed] : open;
}

/** EP options: powers of two that divide the experts, and the experts themselves, up to the GPU count. */
function epOptions(experts: number, count: number): number[] {
  if (experts <= 1) return [1];
  const out: number[] = [];
  for (let ep = 1; ep <= Math.min(experts, count); ep *= 2) if (experts % ep === 0) out.push(ep);
  if (experts <= count && !out.includes(experts)) out.push(experts);
  return out;
}

export function microBatchesPerStep(l: Layout, count: number, globalBatch: number): number {
  const dp = count / (l.tp * l.pp * l.cp);
  return globalBatch > 0 ? globalBatch / (dp * l.microBatch) : DEFAULT_MICRO_BATCHES_PER_PP * l.pp;
}

/** Memory of the fullest GPU under a legal layout. */
export function layoutBytes(s: TrainingShape, l: Layout, q: LayoutQuestion): number {
  return (
    weightOptimizerBytes(s, l, q.count, q.precision) +
    activationBytes(s, l, q.seqLen, q.capacityFactor, q.dropout, microBatchesPerStep(l, q.count, q.globalBatch))
  );
}

/**
 * Relative throughput of a layout: 1 / ((1 + recomputation) × (1 + bubble)). Full recomputation
 * repeats the forward pass (1/3 of the step's FLOPs), selective the attention scores' forward
 * (1/3 of their share); the 1F1B bubble is (PP − 1) / micro-batches per step (Narayanan et al. 2021).
 */
export function layoutThroughput(l: Layout, q: LayoutQuestion): number {
  const recompute = l.recompute === 2 ? 1 / 3 : l.recompute === 1 ? q.attentionShare / 3 : 0;
  const bubble = (l.pp - 1) / microBatchesPerStep(l, q.count, q.globalBatch);
  return 1 / ((1 + recompute) * (1 + bubble));
}

/**
 * The layout to train with: the fixed fields as given, the open ones searched. Among legal layouts
 * whose fullest GPU fits: the most throughput (ties: lower ZeRO stage, smaller TP, smaller ETP, less
 * memory), or the least memory; when none fits, the least memory. `out` is filled and returned.
 */
export function chooseLayout(
  s: TrainingShape,
  f: LayoutFacts,
  fixed: OpenLayout,
  q: LayoutQuestion,
  out: LayoutAnswer = { layout: { ...fixed } as Layout, bytes: Infinity, fits: false, problem: 0 },
): LayoutAnswer {
  let best: Layout | null = null;
  let bestBytes = Infinity;
  let bestFits = false;
  let bestScore = -1;
  let firstProblem = 0;
  const l: Layout = { tp: 1, pp: 1, ep: 1, etp: 1, cp: 1, zero: 1, recompute: 0, microBatch: 1 };
  l.cp = fixed.cp >= 0 ? fixed.cp : 1;
  l.microBatch = fixed.microBatch >= 0 ? fixed.microBatch : 1;
  const eps = fixed.ep >= 0 ? [fixed.ep] : epOptions(s.moeLayers > 0 ? s.experts : 0, q.count);
  for (const tp of options(fixed.tp, TP_OPTIONS)) {
    l.tp = tp;
    for (const pp of options(fixed.pp, PP_OPTIONS)) {
      l.pp = pp;
      for (const ep of eps) {
        l.ep = ep;
        for (const etp of options(fixed.etp, ETP_OPTIONS)) {
          l.etp = etp;
          const problem = layoutProblem(s, f, l, q.count, q.seqLen, q.globalBatch);
          if (problem !== 0) {
            firstProblem ||= problem;
            continue;
          }
          for (const zero of options(fixed.zero, ZERO_OPTIONS)) {
            l.zero = zero;
            for (const recompute of options(fixed.recompute, RECOMPUTE_OPTIONS)) {
              l.recompute = recompute;
              const score = layoutThroughput(l, q);
              // once a layout fits, one with less throughput cannot win: skip its memory
              if (q.search === 'throughput' && bestFits && score < bestScore) continue;
              const bytes = layoutBytes(s, l, q);
              const fits = bytes <= q.gpuMemory;
              let better: boolean;
              if (best === null) better = true;
              else if (q.search === 'memory' || (!fits && !bestFits)) better = bytes < bestBytes;
              else if (fits !== bestFits) better = fits;
              else
                better =
                  score > bestScore ||
                  (score === bestScore &&
                    (zero < best.zero ||
                      (zero === best.zero &&
                        (tp < best.tp ||
                          (tp === best.tp && (etp < best.etp || (etp === best.etp && bytes < bestBytes)))))));
              if (better) {
                best = { ...l };
                bestBytes = bytes;
                bestFits = fits;
                bestScore = score;
              }
            }
          }
        }
      }
    }
  }
  if (best === null) {
    out.layout = {
      tp: Math.max(fixed.tp, 1),
      pp: Math.max(fixed.pp, 1),
      ep: Math.max(fixed.ep, 1),
      etp: Math.max(fixed.etp, 1),
      cp: l.cp,
      zero: Math.max(fixed.zero, 0),
      recompute: Math.max(fixed.recompute, 0),
      microBatch: l.microBatch,
    };
    out.bytes = Infinity;
    out.fits = false;
    out.problem = firstProblem;
    return out;
  }
  out.layout = best;
  out.bytes = bestBytes;
  out.fits = bestFits;
  out.problem = 0;
  return out;
}
