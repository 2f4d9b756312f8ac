/**
 * Where a design sits relative to the box the joint law was fitted on (Appendix E of
 * arXiv:2502.05172): N_act, N_total, D, E_eff and D/N_act. The factor of a variable is how many
 * times outside its fitted range it is (value/high above, low/value below, 1 inside); the
 * design's factor is the largest of these.
 *
 *   factor = 1          → "in range"
 *   1 < factor ≤ 10     → "extrapolated xK", K = factor rounded UP to two significant figures
 *   factor > 10         → "qualitative": the number is a direction, not a prediction
 */
import { DOMAIN_VARIABLES, QUALITATIVE_FACTOR, ceilSignificant, type DomainVariable } from './fitted-range.js';
import type { ScalingLaws } from './laws.js';

export { DOMAIN_VARIABLES, QUALITATIVE_FACTOR, ceilSignificant, type DomainVariable };

export type DomainStatus = 'in range' | 'extrapolated' | 'qualitative';

export interface DomainPoint {
  activeParams: number;
  totalParams: number;
  tokens: number;
  /** E_eff = routed total / routed active params (1 for dense). */
  experts: number;
}

export interface VariableFactor {
  value: number;
  range: readonly [number, number];
  side: 'below' | 'inside' | 'above';
  factor: number;
}

export interface QualityDomain {
  status: DomainStatus;
  /** "in range", "extrapolated x2.5" or "qualitative". */
  label: string;
  /** The largest factor, unrounded (1 when in range). */
  factor: number;
  /** `factor` rounded up to two significant figures (never understates the distance). */
  roundedFactor: number;
  /** The variable with the largest factor; null when in range. */
  driver: DomainVariable | null;
  factors: Record<DomainVariable, VariableFactor>;
}

function factorOf(value: number, range: readonly [number, number]): VariableFactor {
  const [lo, hi] = range;
  if (value > hi) return { value, range, side: 'above', factor: value / hi };
  if (value < lo) return { value, range, side: 'below', factor: lo / value };
  return { value, range, side: 'inside', factor: 1 };
}

export function qualityDomain(point: DomainPoint, laws: ScalingLaws): QualityDomain {
  const r = laws.joint_moe.fitted_ranges;
  for (const [name, v] of Object.entries(point)) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  }
  const factors: Record<DomainVariable, VariableFactor> = {
    active_params: factorOf(point.activeParams, r.active_params),
    total_params: factorOf(point.totalParams, r.total_params),
    tokens: factorOf(point.tokens, r.tokens),
    experts: factorOf(point.experts, r.experts),
    tokens_per_active_param: factorOf(point.tokens / point.activeParams, r.tokens_per_active_param),
  };
  let driver: DomainVariable | null = null;
  let factor = 1;
  for (const name of DOMAIN_VARIABLES) {
    if (factors[name].factor > factor) {
      factor = factors[name].factor;
      driver = name;
    }
  }
  const roundedFactor = driver === null ? 1 : ceilSignificant(factor);
  let status: DomainStatus;
  let label: string;
  if (driver === null) {
    status = 'in range';
    label = 'in range';
  } else if (factor <= QUALITATIVE_FACTOR) {
    status = 'extrapolated';
    label = `extrapolated x${roundedFactor}`;
  } else {
    status = 'qualitative';
    label = 'qualitative';
  }
  return { status, label, factor, roundedFactor, driver, factors };
}
