import { TRAINING_SLOT_END } from '../src/metrics/registry.js';
import { describe, expect, it } from 'vitest';
import { denseEquivalentParams, lossDeltaVsDense, qualityDomain } from '../src/quality/index.js';
import { domainLabel, qualityInto } from '../src/metrics/quality.js';
import { qualityPlan } from '../src/metrics/quality-plan.js';
import { loadScalingLaws } from '../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

// The sweep's fast per-design quality columns must agree with src/quality's reference functions
// (which reproduce the paper's Table 1 and Table 4; see test/quality/).
const designs = [
  { experts: 8, topK: 1, expert: 0.1e9, shared: 0.3e9 }, // in range: N_act 0.4B, E_eff 8
  { experts: 32, topK: 2, expert: 0.05e9, shared: 0.2e9 }, // E_eff 16, N_total 1.8B
  { experts: 64, topK: 8, expert: 3.5e9, shared: 8e9 }, // a 36B-active design: far outside
  { experts: 1, topK: 1, expert: 0.5e9, shared: 0.5e9 }, // dense: delta 0
];

describe('quality columns', () => {
  for (const training of [{ tokens: 20e9 }, { flops: 1e20 }]) {
    for (const d of designs) {
      it(`${JSON.stringify(d)} trained on ${JSON.stringify(training)}`, () => {
        const total = d.shared + d.experts * d.expert;
        const active = d.shared + d.topK * d.expert;
        const m = new Float64Array(TRAINING_SLOT_END);
        qualityInto(m, d.experts, d.topK, total, active, qualityPlan(training, laws));
        const q = {
          activeParams: active,
          totalParams: total,
          routedTotalParams: d.experts * d.expert,
          routedActiveParams: d.topK * d.expert,
          ...training,
        };
        expect(m[8]).toBeCloseTo(lossDeltaVsDense(q, laws), 12);
        const dense = denseEquivalentParams(q, laws).params;
        if (dense === null) expect(m[9]).toBe(Infinity);
        else expect(m[9]! / dense).toBeCloseTo(1, 8); // closed form vs bisection (to 1e-13 in ln N), rounded to whole parameters
        const tokens = 'tokens' in training ? training.tokens! : training.flops! / (6 * active);
        const domain = qualityDomain(
          { activeParams: active, totalParams: total, tokens, experts: d.experts / d.topK },
          laws,
        );
        expect(m[10]).toBeCloseTo(domain.factor, 12);
        expect(domainLabel(m[10]!)).toBe(domain.label);
      });
    }
  }

  it('a dense design has no advantage over dense, and is its own dense equivalent', () => {
    const m = new Float64Array(TRAINING_SLOT_END);
    qualityInto(m, 1, 1, 1e9, 1e9, qualityPlan({ tokens: 20e9 }, laws));
    expect(m[8]).toBeCloseTo(0, 12);
    expect(m[9]! / 1e9).toBeCloseTo(1, 9);
  });

  it('labels', () => {
    expect(domainLabel(1)).toBe('in range');
    expect(domainLabel(3.01)).toBe('extrapolated x3.1'); // rounded up, never understated
    expect(domainLabel(10)).toBe('extrapolated x10');
    expect(domainLabel(10.5)).toBe('qualitative');
  });
});
