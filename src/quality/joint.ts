/**
 * The joint dense/MoE scaling law of Ludziejewski et al. (2025, arXiv:2502.05172):
 *
 *   L(N_act, D, Ê) = a·Ê^δ·N_act^(α + γ·ln Ê) + b·Ê^ω·D^(β + ζ·ln Ê) + c        (Eq. 1 / Eq. 6)
 *   1/Ê = 1/(E − 1 + (1/E_start − 1/E_max)^−1) + 1/E_max                        (Eq. 4)
 *
 * N_act counts embeddings, D is training tokens, L is final training loss in nats/token on
 * FineWeb-Edu with the GPT-2 tokenizer. Dense is E = 1, which Eq. 4 maps to Ê = E_start
 * (not Ê = 1): 1/Ê = (1/E_start − 1/E_max) + 1/E_max = 1/E_start.
 */
import type { JointCoefficients, ScalingLaws } from './laws.js';

/** For a fixed E the law is Chinchilla-shaped: L = m·N^µ + n·D^ν + c (Appendix B, Table 4). */
export interface FixedExpertCoefficients {
  /** Ê for this E (Eq. 4). */
  eHat: number;
  m: number;
  mu: number;
  n: number;
  nu: number;
  c: number;
}

/** Optional relative modifier on the N_act term (see granularity.ts); 1 means none. */
export interface JointOptions {
  nTermFactor?: number;
}

function coefficients(laws: ScalingLaws): JointCoefficients {
  return laws.joint_moe.coefficients;
}

function assertPositive(name: string, x: number): void {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${x}`);
}

/** Eq. 4: the transformed expert count Ê for E ≥ 1 experts (real-valued E is allowed). */
export function eHat(experts: number, laws: ScalingLaws): number {
  if (!Number.isFinite(experts) || experts < 1) throw new RangeError(`experts must be >= 1, got ${experts}`);
  const { e_start, e_max } = coefficients(laws);
  const offset = 1 / (1 / e_start - 1 / e_max);
  return 1 / (1 / (experts - 1 + offset) + 1 / e_max);
}

/** The law reduced to fixed E (the paper's Table 4 for E = 1, 2, 4, …, 32). */
export function fixedExpertCoefficients(experts: number, laws: ScalingLaws): FixedExpertCoefficients {
  const k = coefficients(laws);
  const e = eHat(experts, laws);
  const ln = Math.log(e);
  return {
    eHat: e,
    m: k.a * e ** k.delta,
    mu: k.alpha + k.gamma * ln,
    n: k.b * e ** k.omega,
    nu: k.beta + k.zeta * ln,
    c: k.c,
  };
}

/** Joint-law loss (nats/token) of a model with `activeParams` (incl. embeddings), `tokens`, E experts. */
export function jointLoss(
  activeParams: number,
  tokens: number,
  experts: number,
  laws: ScalingLaws,
  options: JointOptions = {},
): number {
  assertPositive('activeParams', activeParams);
  assertPositive('tokens', tokens);
  const f = fixedExpertCoefficients(experts, laws);
  const factor = options.nTermFactor ?? 1;
  return factor * f.m * activeParams ** f.mu + f.n * tokens ** f.nu + f.c;
}

export interface ComputeOptimum {
  flops: number;
  experts: number;
  activeParams: number;
  tokens: number;
  tokensPerActiveParam: number;
  loss: number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Minimises a function that is unimodal on [lo, hi] by golden-section search; returns the
 * argmin. Used on x = ln N, where m·e^{µx} + n·(F/6)^ν·e^{−νx} is a sum of two exponentials
 * in x and therefore convex.
 */
export function goldenSectionMin(fn: (x: number) => number, lo: number, hi: number, tol = 1e-12): number {
  let a = lo;
  let b = hi;
  let x1 = b - GOLDEN * (b - a);
  let x2 = a + GOLDEN * (b - a);
  let f1 = fn(x1);
  let f2 = fn(x2);
  for (let i = 0; i < 500 && b - a > tol; i++) {
    if (f1 <= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - GOLDEN * (b - a);
      f1 = fn(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + GOLDEN * (b - a);
      f2 = fn(x2);
    }
  }
  return (a + b) / 2;
}

/**
 * Compute-optimal allocation for a training budget of `flops` (F = 6·N_act·D) at E experts:
 * minimises the joint law over N_act with D = F/(6·N_act), numerically (golden section on ln N).
 */
export function computeOptimal(flops: number, experts: number, laws: ScalingLaws): ComputeOptimum {
  assertPositive('flops', flops);
  const budget = flops / 6;
  const f = fixedExpertCoefficients(experts, laws);
  const lossAt = (x: number): number => f.m * Math.exp(f.mu * x) + f.n * Math.exp(f.nu * (Math.log(budget) - x)) + f.c;
  // N between 1 parameter and the whole budget as parameters (D = 1 token).
  const x = goldenSectionMin(lossAt, 0, Math.log(budget));
  const activeParams = Math.exp(x);
  const tokens = budget / activeParams;
  return { flops, experts, activeParams, tokens, tokensPerActiveParam: tokens / activeParams, loss: lossAt(x) };
}

/**
 * The same optimum in closed form (Hoffmann et al. 2022, Eq. 4, with α = −µ and β = −ν):
 * N_opt = G·(F/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β)). The paper's Eq. 7 is this formula written
 * for positive exponents; with Table 4's negative µ, ν, the exponent of G must be negated.
 */
export function computeOptimalClosedForm(flops: number, experts: number, laws: ScalingLaws): ComputeOptimum {
  assertPositive('flops', flops);
  const f = fixedExpertCoefficients(experts, laws);
  const alpha = -f.mu;
  const beta = -f.nu;
  const g = ((alpha * f.m) / (beta * f.n)) ** (1 / (alpha + beta));
  const activeParams = g * (flops / 6) ** (beta / (alpha + beta));
  const tokens = flops / 6 / activeParams;
  return {
    flops,
    experts,
    activeParams,
    tokens,
    tokensPerActiveParam: tokens / activeParams,
    loss: jointLoss(activeParams, tokens, experts, laws),
  };
}
