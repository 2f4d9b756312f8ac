// Predicted-quality columns for sweeps with `training:` (tokens or FLOPs), from the joint MoE scaling
// law of Ludziejewski et al. 2025 (arXiv:2502.05172; constants and provenance in
// data/scaling-laws.yaml, the functions in src/quality/). Written for the evaluation loop: plain
// data in, numbers out, no allocation, and the dense equivalent solved in closed form rather than by
// bisection. A test checks every value against src/quality's reference functions.
import { QUALITATIVE_FACTOR, ceilSignificant } from '../quality/fitted-range.js';
import { QUALITY_METRIC_IDS, SLOT, metricNeeds, type QualityMetricId } from './registry.js';

export type { QualityMetricId } from './registry.js';
export { QUALITY_COLUMNS } from './registry.js';
export const QUALITY_METRICS = QUALITY_METRIC_IDS;

export function isQualityMetric(x: string): x is QualityMetricId {
  return metricNeeds(x) === 'training';
}

// Module-level constants, which V8 folds into the code that reads them.
const LOSS_DELTA = SLOT.loss_delta_vs_dense;
const DENSE_EQUIVALENT = SLOT.dense_equivalent_params;
const DOMAIN_FACTOR = SLOT.quality_domain_factor;

/** Everything the per-design computation needs, as plain numbers (it crosses to the workers). */
export interface QualityPlan {
  /** Training tokens D, or null when D = flops / (6 × active). */
  tokens: number | null;
  flops: number | null;
  a: number;
  alpha: number;
  delta: number;
  gamma: number;
  b: number;
  beta: number;
  omega: number;
  zeta: number;
  eStart: number;
  eMax: number;
  c: number;
  /** Fitted ranges, low and high, in DOMAIN_VARIABLES order. */
  ranges: [number, number][];
}

export interface Training {
  tokens?: number;
  flops?: number;
}

function outside(value: number, lo: number, hi: number): number {
  return value > hi ? value / hi : value < lo ? lo / value : 1;
}

/**
 * Writes loss_delta_vs_dense, dense_equivalent_params (Infinity when the design's loss is below
 * anything a dense model reaches at these tokens) and the domain factor into their slots of m.
 * E_eff = routed total / routed active = experts / top_k.
 */
export function qualityInto(
  m: Float64Array,
  experts: number,
  topK: number,
  total: number,
  active: number,
  q: QualityPlan,
): void {
  const tokens = q.tokens ?? q.flops! / (6 * active);
  const eEff = experts / topK;
  const offset = 1 / (1 / q.eStart - 1 / q.eMax);
  // Eq. 4; dense (E = 1) maps to Ê = E_start.
  const eHat = 1 / (1 / (eEff - 1 + offset) + 1 / q.eMax);
  const lnE = Math.log(eHat);
  const lnD = Math.log(q.eStart);
  const moe =
    q.a * eHat ** q.delta * active ** (q.alpha + q.gamma * lnE) +
    q.b * eHat ** q.omega * tokens ** (q.beta + q.zeta * lnE) +
    q.c;
  const mDense = q.a * q.eStart ** q.delta;
  const muDense = q.alpha + q.gamma * lnD;
  const dataDense = q.b * q.eStart ** q.omega * tokens ** (q.beta + q.zeta * lnD);
  const dense = mDense * active ** muDense + dataDense + q.c;
  m[LOSS_DELTA] = moe - dense;
  // L_dense(N) = m·N^µ + data + c is strictly decreasing in N (µ < 0); invert it at the MoE's loss.
  const rest = moe - dataDense - q.c;
  m[DENSE_EQUIVALENT] = rest > 0 ? Math.round((rest / mDense) ** (1 / muDense)) : Infinity;
  const [rActive, rTotal, rTokens, rExperts, rRatio] = q.ranges as [
    [number, number],
    [number, number],
    [number, number],
    [number, number],
    [number, number],
  ];
  m[DOMAIN_FACTOR] = Math.max(
    outside(active, rActive[0], rActive[1]),
    outside(total, rTotal[0], rTotal[1]),
    outside(tokens, rTokens[0], rTokens[1]),
    outside(eEff, rExperts[0], rExperts[1]),
    outside(tokens / active, rRatio[0], rRatio[1]),
  );
}

/** "in range", "extrapolated xK" (K rounded up to two significant figures) or "qualitative" past 10x. */
export function domainLabel(factor: number): string {
  if (factor <= 1) return 'in range';
  if (factor <= QUALITATIVE_FACTOR) return `extrapolated x${ceilSignificant(factor)}`;
  return 'qualitative';
}
