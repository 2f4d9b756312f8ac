/**
 * Dense Chinchilla-form laws, L = E + A/N^α + B/D^β: Epoch AI's refit (Besiroglu et al. 2024,
 * arXiv:2404.10102), the dense reference and the source of the uncertainty stand-in, and
 * Hoffmann et al.'s (2022) original estimates, shown beside it.
 */
import type { ChinchillaCoefficients, ScalingLaws } from './laws.js';

export type ChinchillaFit = 'epoch' | 'hoffmann' | 'hoffmann_unrounded';

export function chinchillaCoefficients(laws: ScalingLaws, fit: ChinchillaFit = 'epoch'): ChinchillaCoefficients {
  if (fit === 'epoch') return laws.epoch_chinchilla.coefficients;
  if (fit === 'hoffmann') return laws.hoffmann_chinchilla.coefficients;
  return laws.hoffmann_chinchilla.coefficients_unrounded;
}

/** L = E + A/N^α + B/D^β in nats/token, on the data the fit was made on. */
export function chinchillaLoss(params: number, tokens: number, k: ChinchillaCoefficients): number {
  if (!Number.isFinite(params) || params <= 0) throw new RangeError(`params must be > 0, got ${params}`);
  if (!Number.isFinite(tokens) || tokens <= 0) throw new RangeError(`tokens must be > 0, got ${tokens}`);
  return k.E + k.A / params ** k.alpha + k.B / tokens ** k.beta;
}

/** Epoch's refit at (N, D). */
export function epochLoss(params: number, tokens: number, laws: ScalingLaws): number {
  return chinchillaLoss(params, tokens, chinchillaCoefficients(laws, 'epoch'));
}

/** Hoffmann et al.'s rounded estimates at (N, D), for comparison. */
export function hoffmannLoss(params: number, tokens: number, laws: ScalingLaws): number {
  return chinchillaLoss(params, tokens, chinchillaCoefficients(laws, 'hoffmann'));
}

export interface DenseOptimum {
  flops: number;
  params: number;
  tokens: number;
  loss: number;
  /** G of N_opt = G·(F/6)^a. */
  g: number;
  /** a = β/(α+β). */
  a: number;
}

/**
 * Compute-optimal N and D for F = 6·N·D, in closed form: minimising E + A·N^−α + B·(F/6N)^−β
 * over N gives αA·N^−α = βB·(F/6)^−β·N^β, so N_opt = G·(F/6)^(β/(α+β)) with
 * G = (αA/(βB))^(1/(α+β)), and D_opt = (F/6)/N_opt.
 */
export function chinchillaComputeOptimal(flops: number, k: ChinchillaCoefficients): DenseOptimum {
  if (!Number.isFinite(flops) || flops <= 0) throw new RangeError(`flops must be > 0, got ${flops}`);
  const g = ((k.alpha * k.A) / (k.beta * k.B)) ** (1 / (k.alpha + k.beta));
  const a = k.beta / (k.alpha + k.beta);
  const params = g * (flops / 6) ** a;
  const tokens = flops / 6 / params;
  return { flops, params, tokens, loss: chinchillaLoss(params, tokens, k), g, a };
}
