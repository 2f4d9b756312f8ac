// The constants the quality columns need, taken from the scaling laws on the main thread and
// handed to the workers as plain numbers (quality.ts computes with them).
import { DOMAIN_VARIABLES } from '../quality/fitted-range.js';
import type { ScalingLaws } from '../quality/laws.js';
import type { QualityPlan, Training } from './quality.js';

export function qualityPlan(training: Training, laws: ScalingLaws): QualityPlan {
  const law = laws.joint_moe;
  const k = law.coefficients;
  const r = law.fitted_ranges;
  return {
    tokens: training.tokens ?? null,
    flops: training.flops ?? null,
    a: k.a,
    alpha: k.alpha,
    delta: k.delta,
    gamma: k.gamma,
    b: k.b,
    beta: k.beta,
    omega: k.omega,
    zeta: k.zeta,
    eStart: k.e_start,
    eMax: k.e_max,
    c: k.c,
    ranges: DOMAIN_VARIABLES.map((v) => [...r[v]] as [number, number]),
  };
}
