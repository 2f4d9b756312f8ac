/**
 * Values of the sweep's quality columns (src/metrics/quality.ts) worked out by hand from the joint
 * MoE law of Ludziejewski et al. 2025 (arXiv:2502.05172, Table 3 coefficients and the Appendix E
 * fitted ranges in data/scaling-laws.yaml): the domain factor below the low end of each range, at
 * both ends, and the dense equivalent where no dense model reaches the MoE's loss.
 */
import { SLOT, TRAINING_SLOT_END } from '../src/metrics/registry.js';
import { describe, expect, it } from 'vitest';
import { denseEquivalentParams, qualityDomain } from '../src/quality/index.js';
import { domainLabel, qualityInto } from '../src/metrics/quality.js';
import { qualityPlan } from '../src/metrics/quality-plan.js';
import { loadScalingLaws } from '../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

/** qualityInto for `experts` × `expert` routed parameters (top-k) and `shared` others, on `tokens`. */
function columns(experts: number, topK: number, expert: number, shared: number, tokens: number) {
  const m = new Float64Array(TRAINING_SLOT_END);
  const total = shared + experts * expert;
  const active = shared + topK * expert;
  qualityInto(m, experts, topK, total, active, qualityPlan({ tokens }, laws));
  const reference = qualityDomain({ activeParams: active, totalParams: total, tokens, experts: experts / topK }, laws);
  return { factor: m[SLOT.quality_domain_factor]!, reference: reference.factor, m };
}

// Fitted ranges (Appendix E): active and total 79M–2.7B / 79M–5B, tokens 0.5B–80B, E_eff 1–32,
// tokens per active parameter 0.36–72.8.
describe('domain factor below the fitted ranges', () => {
  it('tokens: 0.1B against a low end of 0.5B is 5× outside (the ratio 0.1B/0.4B = 0.25 is only 0.36/0.25 = 1.44×)', () => {
    const c = columns(8, 1, 0.1e9, 0.3e9, 0.1e9); // active 0.4B, total 1.1B, E_eff 8
    expect(c.factor).toBeCloseTo(5, 12);
    expect(c.reference).toBeCloseTo(5, 12);
    expect(domainLabel(c.factor)).toBe('extrapolated x5');
  });

  it('active and total: a 40M dense model is 79/40 = 1.975× below, labelled x2 (rounded up)', () => {
    const c = columns(1, 1, 20e6, 20e6, 2e9); // 50 tokens per parameter: in range
    expect(c.factor).toBeCloseTo(1.975, 12);
    expect(c.reference).toBeCloseTo(1.975, 12);
    expect(domainLabel(c.factor)).toBe('extrapolated x2');
  });

  it('tokens per parameter: 0.6B tokens on a 2B dense model is 0.3, 0.36/0.3 = 1.2× below', () => {
    const c = columns(1, 1, 1e9, 1e9, 0.6e9);
    expect(c.factor).toBeCloseTo(1.2, 12);
    expect(c.reference).toBeCloseTo(1.2, 12);
    expect(domainLabel(c.factor)).toBe('extrapolated x1.2');
  });

  it('exactly at the ends of the ranges is in range (factor 1)', () => {
    // low: 79M dense on 0.5B tokens (ratio 6.33)
    expect(columns(1, 1, 39.5e6, 39.5e6, 0.5e9).factor).toBe(1);
    // high: 2.7B dense on 80B tokens (ratio 29.6)
    expect(columns(1, 1, 1.35e9, 1.35e9, 80e9).factor).toBe(1);
    // E_eff 32 = 32 experts, top-1: active 0.1 + 0.05 = 0.15B, total 0.1 + 32 × 0.05 = 1.7B, 10B tokens (ratio 66.7)
    expect(columns(32, 1, 0.05e9, 0.1e9, 10e9).factor).toBe(1);
  });
});

describe('dense equivalent', () => {
  it('Infinity when the MoE loss is below every dense model at these tokens (256 experts, 1e16 active, 1e13 tokens)', () => {
    // Ê (Eq. 4) for E_eff 256: 1/(1/(255 + 2.0881) + 1/290.4521) = 1/(0.0038897 + 0.0034429) = 136.377
    // ln Ê = 4.9154; MoE parameter term 35.91 × 136.377^−0.2285 × (1e16)^(−0.1889 + 0.0098 × 4.9154)
    //   = 11.680 × e^(−0.14073 × 36.841) = 11.680 × 0.0056018 = 0.06543
    // MoE data term 35.98 × 136.377^0.5529 × (1e13)^(−0.1775 − 0.0259 × 4.9154)
    //   = 544.95 × e^(−0.30481 × 29.934) = 544.95 × 1.0901e−4 = 0.05941
    // dense data term (Ê = E_start = 2.0732, ln 0.72910) 35.98 × 2.0732^0.5529 × (1e13)^(−0.1775 − 0.0259 × 0.72910)
    //   = 53.843 × e^(−0.19638 × 29.934) = 53.843 × 0.0027991 = 0.15071
    // A dense model's loss is m·N^µ + 0.15071 + c > 0.15071 + c for every N, but the MoE's is
    // 0.06543 + 0.05941 + c = 0.12484 + c: no dense N reaches it.
    const shared = 0.5e16;
    const expert = 0.5e16;
    const c = columns(256, 1, expert, shared, 1e13);
    expect(c.m[SLOT.dense_equivalent_params]).toBe(Infinity);
    expect(c.m[SLOT.loss_delta_vs_dense]).toBeLessThan(0);
    const ref = denseEquivalentParams(
      {
        activeParams: shared + expert,
        totalParams: shared + 256 * expert,
        routedTotalParams: 256 * expert,
        routedActiveParams: expert,
        tokens: 1e13,
      },
      laws,
    );
    expect(ref.params).toBeNull();
    // total 0.5e16 + 256 × 0.5e16 = 1.285e18 against the 5e9 high end: 2.57e8× outside
    expect(c.factor).toBeCloseTo(2.57e8, 3);
    expect(domainLabel(c.factor)).toBe('qualitative');
  });
});
