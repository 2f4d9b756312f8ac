/**
 * OPTIONAL, OFF BY DEFAULT. A relative granularity modifier from Krajewski et al. (2024,
 * arXiv:2402.07871), whose law is L = c + (g/G^γ + a)·N^−α + b·D^−β. Only the ratio of the
 * N-term coefficient at granularity G to that at G = 1,
 *
 *   factor(G) = (g·G^−γ + a) / (g + a),
 *
 * is used, as a multiplier on the joint law's N_act term. It was fitted at expansion rate 64
 * only, and its coefficients were not verified against the paper (see the data file); the joint
 * law itself was fitted on G = 1 (experts the size of the dense feed-forward layer).
 */
import type { ScalingLaws } from './laws.js';

export function granularityFactor(granularity: number, laws: ScalingLaws): number {
  if (!Number.isFinite(granularity) || granularity < 1) {
    throw new RangeError(`granularity must be >= 1, got ${granularity}`);
  }
  const { g, gamma, a } = laws.krajewski_granularity.coefficients;
  return (g * granularity ** -gamma + a) / (g + a);
}
