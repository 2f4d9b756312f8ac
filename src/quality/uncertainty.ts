/**
 * Loss intervals. The joint law (arXiv:2502.05172) publishes no parameter uncertainty, only its
 * held-out error (max absolute error 0.018, Figure 5a). Epoch's dense refit (arXiv:2404.10102)
 * publishes standard errors but no covariance. An interval is therefore built as:
 *
 *   1. draw Epoch's parameters θ_i (seeded Monte Carlo, `samples` draws);
 *   2. dev_i = L_epoch(θ_i; N_act, D) − L_epoch(θ̂; N_act, D), the spread in nats at the design;
 *   3. [lo, hi] = L_joint + quantiles of dev at (1 ± level)/2;
 *   4. widen both ends by the joint law's max held-out error.
 *
 * Step 1 draws parameters independently by default (no correlations were found; see the
 * `uncertainty` section of data/scaling-laws.yaml), which overstates the spread near the
 * fitted data: the intervals are conservative. Results are deterministic for a given seed.
 */
import type { CorrelationMode, ChinchillaCoefficients, ScalingLaws } from './laws.js';
import { mulberry32 } from '../math/random.js';

export interface UncertaintyOptions {
  seed?: number;
  samples?: number;
  /** Central probability of the quantile interval before widening, e.g. 0.9. */
  level?: number;
  correlation?: CorrelationMode;
}

export interface LossInterval {
  /** The joint law's point prediction. */
  point: number;
  lo: number;
  hi: number;
  level: number;
  /** How much each end was widened by (the joint law's max held-out error). */
  widenedBy: number;
  seed: number;
  samples: number;
  correlation: CorrelationMode;
}

export { mulberry32 };

/** Standard normal deviates by Box–Muller from a uniform source. */
export function normalSource(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Quantile with linear interpolation between order statistics (R's type 7). `sorted` ascending. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const i = Math.floor(h);
  const lo = sorted[i] as number;
  if (i + 1 >= n) return lo;
  const hi = sorted[i + 1] as number;
  return lo + (h - i) * (hi - lo);
}

/** Parameters of a positive log-normal with the given mean and standard deviation. */
function logNormal(mean: number, sd: number): { mu: number; sigma: number } {
  const sigma = Math.sqrt(Math.log(1 + (sd / mean) ** 2));
  return { mu: Math.log(mean) - (sigma * sigma) / 2, sigma };
}

/** Draws of Epoch's parameters, as parallel arrays. */
export interface ParameterDraws {
  E: Float64Array;
  A: Float64Array;
  B: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
}

// Keyed by the laws document first: the catalogue's is one frozen object shared by every caller.
const drawCache = new WeakMap<ScalingLaws, Map<string, ParameterDraws>>();
const MAX_CACHED = 16;

/**
 * Independent draws: E, α, β normal with the published standard errors; A, B log-normal with
 * the published mean and standard error. `pivot` (an assumption, see the data file): E, α, β
 * as before, A and B set so each power-law term keeps its value at the geometric centre of
 * Epoch's fitted box.
 */
export function drawEpochParameters(
  seed: number,
  samples: number,
  correlation: CorrelationMode,
  laws: ScalingLaws,
): ParameterDraws {
  const key = `${seed}:${samples}:${correlation}`;
  let cache = drawCache.get(laws);
  const hit = cache?.get(key);
  if (hit) return hit;
  if (!Number.isInteger(samples) || samples < 2)
    throw new RangeError(`samples must be an integer >= 2, got ${samples}`);
  const k = laws.epoch_chinchilla.coefficients;
  const se = laws.epoch_chinchilla.standard_errors;
  const [nLo, nHi] = laws.epoch_chinchilla.fitted_ranges.params;
  const [dLo, dHi] = laws.epoch_chinchilla.fitted_ranges.tokens;
  const lnN0 = (Math.log(nLo) + Math.log(nHi)) / 2;
  const lnD0 = (Math.log(dLo) + Math.log(dHi)) / 2;
  const gauss = normalSource(mulberry32(seed));
  const a = logNormal(k.A, se.A);
  const b = logNormal(k.B, se.B);
  const out: ParameterDraws = {
    E: new Float64Array(samples),
    A: new Float64Array(samples),
    B: new Float64Array(samples),
    alpha: new Float64Array(samples),
    beta: new Float64Array(samples),
  };
  for (let i = 0; i < samples; i++) {
    // Always consume five deviates per draw so both modes share E, α, β draw for draw.
    const zE = gauss();
    const zA = gauss();
    const zB = gauss();
    const zAlpha = gauss();
    const zBeta = gauss();
    const alpha = k.alpha + se.alpha * zAlpha;
    const beta = k.beta + se.beta * zBeta;
    out.E[i] = k.E + se.E * zE;
    out.alpha[i] = alpha;
    out.beta[i] = beta;
    if (correlation === 'pivot') {
      out.A[i] = k.A * Math.exp((alpha - k.alpha) * lnN0);
      out.B[i] = k.B * Math.exp((beta - k.beta) * lnD0);
    } else {
      out.A[i] = Math.exp(a.mu + a.sigma * zA);
      out.B[i] = Math.exp(b.mu + b.sigma * zB);
    }
  }
  if (!cache) {
    cache = new Map();
    drawCache.set(laws, cache);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, out);
  return out;
}

/** Sorted deviations L_epoch(θ_i) − L_epoch(θ̂) at (params, tokens). */
export function epochDeviations(
  params: number,
  tokens: number,
  draws: ParameterDraws,
  k: ChinchillaCoefficients,
): Float64Array {
  const lnN = Math.log(params);
  const lnD = Math.log(tokens);
  const base = k.E + k.A * Math.exp(-k.alpha * lnN) + k.B * Math.exp(-k.beta * lnD);
  const n = draws.E.length;
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dev[i] =
      (draws.E[i] as number) +
      (draws.A[i] as number) * Math.exp(-(draws.alpha[i] as number) * lnN) +
      (draws.B[i] as number) * Math.exp(-(draws.beta[i] as number) * lnD) -
      base;
  }
  return dev.sort();
}

/** Resolved options: explicit ones over the data file's defaults. */
export function resolveUncertainty(laws: ScalingLaws, options: UncertaintyOptions = {}): Required<UncertaintyOptions> {
  const u = laws.uncertainty;
  const level = options.level ?? u.level;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return {
    seed: options.seed ?? u.seed,
    samples: options.samples ?? u.samples,
    level,
    correlation: options.correlation ?? u.correlation,
  };
}

/**
 * Interval around a joint-law prediction `point` for a model with `activeParams` and `tokens`.
 */
export function lossInterval(
  point: number,
  activeParams: number,
  tokens: number,
  laws: ScalingLaws,
  options: UncertaintyOptions = {},
): LossInterval {
  const o = resolveUncertainty(laws, options);
  const draws = drawEpochParameters(o.seed, o.samples, o.correlation, laws);
  const dev = epochDeviations(activeParams, tokens, draws, laws.epoch_chinchilla.coefficients);
  const widenedBy = laws.joint_moe.held_out_error.max_abs;
  const tail = (1 - o.level) / 2;
  return {
    point,
    lo: point + quantile(dev, tail) - widenedBy,
    hi: point + quantile(dev, 1 - tail) + widenedBy,
    level: o.level,
    widenedBy,
    seed: o.seed,
    samples: o.samples,
    correlation: o.correlation,
  };
}

/** True when two intervals overlap (touching counts as overlapping). */
export function indistinguishable(a: Pick<LossInterval, 'lo' | 'hi'>, b: Pick<LossInterval, 'lo' | 'hi'>): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}
