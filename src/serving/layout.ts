/**
 * Which EP × TP layouts an engine can run. A layout is valid when
 * - EP divides the routed experts (each EP rank holds the same number of whole experts);
 * - TP divides the attention heads, and the KV heads or is a multiple of them (then each KV head is
 *   replicated on TP / K ranks, as vLLM and SGLang do for GQA models with fewer KV heads than TP);
 *   with attention data-parallel nothing of attention is split, so neither applies;
 * - TP splits every FFN width (routed expert, dense, shared expert) into whole pieces that are
 *   multiples of the weight format's block: 128 for block-FP8 (DeepSeek-V3's 128 × 128 scales;
 *   the failure of vllm#40955 and sglang#23602 is a per-rank width of 192 = 1536 / 8).
 * Pure numbers, for the evaluation loop.
 */

/** What the checks read of a design: plain numbers (ServingFacts carries them per point). */
export interface LayoutFacts {
  experts: number;
  attentionHeads: number;
  /** GQA KV heads; 0 for MLA and DeepSeek-V4 attention, whose latent every rank keeps whole */
  gqaKvHeads: number;
  expertWidth: number;
  /** 0 when the model has no dense layer / no shared expert */
  denseWidth: number;
  sharedWidth: number;
}

export const LAYOUT_PROBLEMS = [
  'valid',
  'EP does not divide the routed experts',
  'TP does not divide the attention heads',
  'TP neither divides the KV heads nor is a multiple of them',
  'TP splits an FFN width into pieces that are not whole multiples of the weight block (128 for block-FP8)',
  'the experts placed in CPU memory exceed cpu.memory',
] as const;

/**
 * Whether d divides n (whole numbers, d ≥ 1): as an int32 remainder when both fit, since the
 * remainder of doubles is a slow library call and a sweep checks every design's layouts.
 */
function divides(n: number, d: number): boolean {
  return n <= 0x7fffffff && d <= 0x7fffffff ? (n | 0) % (d | 0) === 0 : n % d === 0;
}

function splits(width: number, tp: number, block: number): boolean {
  if (width <= 0) return true;
  if (!divides(width, tp)) return false;
  return divides(width / tp, block);
}

/** 0 when the layout is valid, else the index in LAYOUT_PROBLEMS of the first check it fails. */
export function layoutProblem(
  f: LayoutFacts,
  ep: number,
  tp: number,
  dpAttention: boolean,
  expertBlock: number,
  restBlock: number,
): number {
  if (f.experts > 0 && !divides(f.experts, ep)) return 1;
  if (!dpAttention && f.attentionHeads > 0 && !divides(f.attentionHeads, tp)) return 2;
  if (!dpAttention && f.gqaKvHeads > 0 && !divides(f.gqaKvHeads, tp) && !divides(tp, f.gqaKvHeads)) return 3;
  if (!splits(f.expertWidth, tp, expertBlock)) return 4;
  if (!splits(f.denseWidth, tp, restBlock) || !splits(f.sharedWidth, tp, restBlock)) return 4;
  return 0;
}

/** Block of a weight format as bytes per weight tells it: 1 byte is block-FP8 (128), anything else 1. */
export function weightBlock(bytesPerWeight: number): number {
  return bytesPerWeight === 1 ? 128 : 1;
}

/**
 * The problems of every TP option tried, packed as decimal digits (option i in digit i), for the
 * metric vector; `explainLayouts` unpacks them.
 */
export function packProblems(problems: readonly number[]): number {
  return problems.reduce((acc, p, i) => acc + p * 10 ** i, 0);
}

export function explainLayouts(packed: number, count: number, tps: readonly number[]): string {
  const out: string[] = [];
  let rest = packed;
  for (const tp of tps) {
    if (count % tp !== 0) continue;
    const p = rest % 10;
    rest = Math.floor(rest / 10);
    if (p !== 0) out.push(`EP${count / tp}xTP${tp}: ${LAYOUT_PROBLEMS[p]}`);
  }
  return out.join('; ');
}
