/**
 * Presentation functions on designs: loss delta vs dense, dense-equivalent parameters, input
 * handling, the optional granularity modifier and the report paragraph.
 */
import { describe, expect, it } from 'vitest';
import {
  assessDesign,
  denseEquivalentParams,
  designLoss,
  jointLoss,
  lossDeltaVsDense,
  normalizeDesign,
  solveDenseParams,
  WHAT_LOSS_IS_NOT,
  type QualityDesign,
} from '../../src/quality/index.js';
import { loadScalingLaws } from '../../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

const dense: QualityDesign = {
  activeParams: 1e9,
  totalParams: 1e9,
  routedTotalParams: 0,
  routedActiveParams: 0,
  tokens: 2e10,
};
// 8 equal experts of 0.4B routed params each, top-1: E_eff = 3.2B/0.4B = 8.
const moe8: QualityDesign = {
  activeParams: 1e9,
  totalParams: 3.8e9,
  routedTotalParams: 3.2e9,
  routedActiveParams: 0.4e9,
  tokens: 2e10,
};

describe('normalizeDesign', () => {
  it('E_eff is routed total / routed active, 1 for dense', () => {
    expect(normalizeDesign(dense, laws).experts).toBe(1);
    expect(normalizeDesign(moe8, laws).experts).toBe(8);
    // top-2 of 64 equal experts: 64/2 = 32
    const top2 = normalizeDesign(
      {
        ...moe8,
        routedTotalParams: 64 * 0.05e9,
        routedActiveParams: 2 * 0.05e9,
        totalParams: 3.9e9,
        experts: 64,
        topK: 2,
      },
      laws,
    );
    expect(top2.experts).toBeCloseTo(32, 12);
    expect(top2.caveats.join(' ')).toMatch(/top-2 routing mapped to E_eff/);
  });

  it('derives D = F/(6·N_act) from flops', () => {
    const viaFlops = normalizeDesign({ ...moe8, tokens: undefined, flops: 6 * 1e9 * 2e10 }, laws);
    expect(viaFlops.tokens).toBeCloseTo(2e10, 0);
    expect(designLoss({ ...moe8, tokens: undefined, flops: 1.2e20 }, laws)).toBeCloseTo(designLoss(moe8, laws), 12);
  });

  it.each([
    ['both tokens and flops', { ...moe8, flops: 1e20 }],
    ['neither tokens nor flops', { ...moe8, tokens: undefined }],
    ['routed active > routed total', { ...moe8, routedActiveParams: 4e9 }],
    ['total < active', { ...moe8, totalParams: 0.5e9 }],
    ['routed total without routed active', { ...moe8, routedActiveParams: 0 }],
    ['negative params', { ...moe8, activeParams: -1 }],
  ])('rejects %s', (_name, design) => {
    expect(() => normalizeDesign(design as QualityDesign, laws)).toThrow(RangeError);
  });
});

describe('lossDeltaVsDense', () => {
  it('is 0 for a dense design', () => {
    expect(lossDeltaVsDense(dense, laws)).toBe(0);
  });

  it('is L(N, D, 8) − L(N, D, 1) for an E = 8 design, about −0.069 nats at 1B/20B', () => {
    const delta = lossDeltaVsDense(moe8, laws);
    expect(delta).toBeCloseTo(jointLoss(1e9, 2e10, 8, laws) - jointLoss(1e9, 2e10, 1, laws), 14);
    expect(delta).toBeCloseTo(-0.0688, 3);
  });

  it('grows in magnitude with E at fixed N_act and D', () => {
    const d = [2, 4, 8, 16, 32].map((e) =>
      lossDeltaVsDense({ ...moe8, routedTotalParams: e * 0.4e9, totalParams: 0.6e9 + e * 0.4e9 }, laws),
    );
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeLessThan(d[i - 1] as number);
  });
});

describe('denseEquivalentParams', () => {
  it('is N_act itself for a dense design', () => {
    const eq = denseEquivalentParams(dense, laws);
    expect(eq.params! / 1e9).toBeCloseTo(1, 9);
    expect(eq.ratioToActive).toBeCloseTo(1, 9);
  });

  it("round-trips: the dense model it returns has the design's loss", () => {
    const eq = denseEquivalentParams(moe8, laws);
    expect(eq.params).not.toBeNull();
    expect(jointLoss(eq.params!, 2e10, 1, laws)).toBeCloseTo(designLoss(moe8, laws), 10);
    expect(eq.ratioToActive!).toBeGreaterThan(1.7);
    expect(eq.ratioToActive!).toBeLessThan(1.8);
  });

  it('is null when no dense model at that D reaches the loss', () => {
    // At D = 1e12 the dense loss never falls below n(1)·D^ν(1) + c ≈ 0.2368 + c, while an
    // E = 32 model with N_act = 1e16 reaches ≈ 0.0534 + 0.1537 + c = 0.207 + c.
    const huge: QualityDesign = {
      activeParams: 1e16,
      totalParams: 1e17,
      routedTotalParams: 3.2e16,
      routedActiveParams: 1e15,
      tokens: 1e12,
    };
    expect(denseEquivalentParams(huge, laws)).toEqual({ params: null, ratioToActive: null });
  });

  it('solveDenseParams inverts the dense law', () => {
    for (const n of [1e8, 3e9, 7e10]) {
      expect(solveDenseParams(jointLoss(n, 5e10, 1, laws), 5e10, laws)! / n).toBeCloseTo(1, 9);
    }
  });
});

describe('granularity modifier (optional)', () => {
  const fine: QualityDesign = { ...moe8, granularity: 8 };

  it('is ignored unless asked for, with a caveat', () => {
    const n = normalizeDesign(fine, laws);
    expect(n.nTermFactor).toBe(1);
    expect(n.caveats.join(' ')).toMatch(/granularity 8 ignored/);
    expect(designLoss(fine, laws)).toBe(designLoss(moe8, laws));
  });

  it('when asked for, scales the N_act term by (2.1·8^−0.58 + 18.1)/(2.1 + 18.1) = 0.92716', () => {
    // 8^−0.58 = e^(−0.58·2.079442) = e^(−1.206076) = 0.299373; 2.1·0.299373 = 0.628683
    // (0.628683 + 18.1)/20.2 = 0.927162
    const n = normalizeDesign(fine, laws, { applyGranularity: true });
    expect(n.nTermFactor).toBeCloseTo(0.927162, 6);
    expect(designLoss(fine, laws, { applyGranularity: true })).toBeLessThan(designLoss(moe8, laws));
  });
});

describe('assessDesign', () => {
  it('bundles the pieces consistently', () => {
    const a = assessDesign(moe8, laws);
    expect(a.loss).toBe(designLoss(moe8, laws));
    expect(a.lossDeltaVsDense).toBeCloseTo(lossDeltaVsDense(moe8, laws), 14);
    expect(a.denseEquivalent).toEqual(denseEquivalentParams(moe8, laws));
    expect(a.domain.label).toBe('in range');
    expect(a.interval.point).toBe(a.loss);
    expect(a.interval.lo).toBeLessThan(a.loss);
    expect(a.units).toMatch(/nats per token/);
    expect(a.units).toMatch(/FineWeb-Edu/);
  });

  it('adds a caveat when the design is beyond 10x of the fitted box', () => {
    const a = assessDesign(
      {
        activeParams: 37e9,
        totalParams: 671e9,
        routedTotalParams: 640e9,
        routedActiveParams: 20e9,
        tokens: 14.8e12,
      },
      laws,
    );
    expect(a.domain.status).toBe('qualitative');
    expect(a.caveats.join(' ')).toMatch(/tokens is x190 outside the fitted range/);
  });
});

describe('WHAT_LOSS_IS_NOT', () => {
  it('names what loss leaves out, with sources', () => {
    for (const s of ['downstream', 'wall-clock', 'inference', '2502.05172', '2501.12370', '2401.00448', '2404.10102']) {
      expect(WHAT_LOSS_IS_NOT).toContain(s);
    }
  });
});
