// All-to-all traffic, binomial loads, load imbalance and capacity on hand-worked cases.
import { describe, expect, it } from 'vitest';
import {
  allToAllBytesPerStep,
  allToAllBytesPerToken,
  binomialPmf,
  capacityFactorForDropRate,
  expectedDropShare,
  loadImbalanceLowerBound,
  simulateLoadImbalance,
} from '../../src/serving/routing.js';

describe('all-to-all bytes', () => {
  it('DeepSeek-V3: hidden 7168, top-8, FP8 dispatch and BF16 combine, EP 8', () => {
    // DeepSeek-V3 technical report (arXiv 2412.19437): hidden 7168, 8 routed experts per token,
    // dispatch in FP8, combine in BF16 (§3.3). 8 × 7168 × (1 + 2) × 7/8 = 150,528 bytes
    expect(allToAllBytesPerToken({ top_k: 8, hidden_size: 7168, ep: 8, dispatch_bytes: 1, combine_bytes: 2 })).toBe(
      150_528,
    );
  });

  it('combine defaults to the dispatch size; EP 1 sends nothing', () => {
    // 2 × 4096 × (2 + 2) × 1/2 = 16,384
    expect(allToAllBytesPerToken({ top_k: 2, hidden_size: 4096, ep: 2, dispatch_bytes: 2 })).toBe(16_384);
    expect(allToAllBytesPerToken({ top_k: 2, hidden_size: 4096, ep: 1, dispatch_bytes: 2 })).toBe(0);
    // per step: 16,384 × 10 tokens × 3 layers = 491,520
    expect(
      allToAllBytesPerStep({ top_k: 2, hidden_size: 4096, ep: 2, dispatch_bytes: 2, tokens: 10, moe_layers: 3 }),
    ).toBe(491_520);
    expect(() => allToAllBytesPerToken({ top_k: 2, hidden_size: 1, ep: 0, dispatch_bytes: 2 })).toThrow(/ep must/);
    expect(() => allToAllBytesPerToken({ top_k: 2, hidden_size: 1, ep: 1.5, dispatch_bytes: 2 })).toThrow(RangeError);
  });
});

describe('binomialPmf', () => {
  it('Binomial(2, 1/2) and Binomial(3, 1/4)', () => {
    expect([...binomialPmf(2, 0.5)].map((x) => Number(x.toFixed(12)))).toEqual([0.25, 0.5, 0.25]);
    // (3/4)^3 = 27/64, 3·(1/4)(3/4)^2 = 27/64, 3·(1/4)^2(3/4) = 9/64, (1/4)^3 = 1/64
    const p = binomialPmf(3, 0.25);
    [27 / 64, 27 / 64, 9 / 64, 1 / 64].forEach((x, i) => expect(p[i]).toBeCloseTo(x, 12));
  });

  it('puts all mass on 0 for p = 0 and on n for p = 1', () => {
    expect([...binomialPmf(2, 0)]).toEqual([1, 0, 0]);
    expect([...binomialPmf(2, 1)]).toEqual([0, 0, 1]);
  });
});

describe('loadImbalanceLowerBound', () => {
  it('E = 2, k = 1, one token: E[max of two Bernoulli(1/2)] / 0.5 = 0.75 / 0.5 = 1.5', () => {
    expect(loadImbalanceLowerBound(2, 1, 1)).toBeCloseTo(1.5, 12);
  });

  it('E = 2, k = 1, two tokens: (1 − 0.25²) + (1 − 0.75²) = 1.375 over mean 1', () => {
    // loads Binomial(2, 1/2): P(L > 0) = 0.75, P(L > 1) = 0.25
    // P(max > 0) = 1 − 0.25² = 0.9375; P(max > 1) = 1 − 0.75² = 0.4375
    expect(loadImbalanceLowerBound(2, 1, 2)).toBeCloseTo(1.375, 12);
  });

  it('is 1 when every expert takes every token (k = E)', () => {
    expect(loadImbalanceLowerBound(2, 2, 1)).toBe(1);
    expect(loadImbalanceLowerBound(4, 4, 3)).toBeCloseTo(1, 12);
  });

  it('rejects bad arguments', () => {
    expect(() => loadImbalanceLowerBound(2, 3, 1)).toThrow(RangeError);
    expect(() => loadImbalanceLowerBound(2, 1, 0)).toThrow(/tokens must be an integer >= 1/);
  });
});

describe('simulateLoadImbalance', () => {
  it('is exactly 1 when routing leaves no choice', () => {
    expect(simulateLoadImbalance(4, 4, 3, 20)).toEqual({ mean: 1, sd: 0, se: 0, trials: 20 });
    expect(simulateLoadImbalance(1, 1, 5, 20).mean).toBe(1);
  });

  it('one token over 2 experts, top-1: the max load is 1 and the mean 1/2, so 2', () => {
    expect(simulateLoadImbalance(2, 1, 1, 20)).toEqual({ mean: 2, sd: 0, se: 0, trials: 20 });
  });
});

describe('expectedDropShare', () => {
  it('E = 2, k = 1, B = 2: loads Binomial(2, 1/2) = 0.25, 0.5, 0.25', () => {
    // capacity 1: E[max(0, L − 1)] = 0.25; × 2 experts / 2 assignments = 0.25
    expect(expectedDropShare(2, 1, 2, 1)).toBeCloseTo(0.25, 12);
    // capacity 0: E[L] = 1; × 2 / 2 = 1 (everything dropped)
    expect(expectedDropShare(2, 1, 2, 0)).toBeCloseTo(1, 12);
    expect(expectedDropShare(2, 1, 2, 2)).toBe(0);
  });

  it('rejects a negative or fractional capacity', () => {
    expect(() => expectedDropShare(2, 1, 2, -1)).toThrow(/capacity must/);
    expect(() => expectedDropShare(2, 1, 2, 0.5)).toThrow(RangeError);
  });
});

describe('capacityFactorForDropRate', () => {
  // k = E = 4, B = 3: every expert gets all 3 tokens in every trial. Dropped share at capacity C is
  // (3 − C)/3: 1, 2/3, 1/3, 0 for C = 0..3.
  it('needs capacity 3 (factor 3·4/(3·4) = 1) for 1% drops', () => {
    const r = capacityFactorForDropRate(4, 4, 3);
    expect(r.capacity).toBe(3);
    expect(r.capacity_factor).toBe(1);
    expect(r.drop_share).toBe(0);
    r.drop_share_by_capacity.forEach((s, c) => expect(s).toBeCloseTo((3 - c) / 3, 12));
    expect(r.drop_share_by_capacity).toHaveLength(4);
  });

  it('accepts a drop share exactly at the target: 1/3 at capacity 2, factor 2·4/12', () => {
    const r = capacityFactorForDropRate(4, 4, 3, 1 / 3);
    expect(r.capacity).toBe(2);
    expect(r.capacity_factor).toBeCloseTo(2 / 3, 12);
    expect(r.drop_share).toBeCloseTo(1 / 3, 12);
    expect(capacityFactorForDropRate(4, 4, 3, 0.3).capacity).toBe(3);
  });

  it('loads above 64 (the first histogram size): one expert taking 100 tokens', () => {
    // share at C is (100 − C)/100: ≤ 1% first at C = 99, factor 99/100
    const r = capacityFactorForDropRate(1, 1, 100, 0.01, 1, 5);
    expect(r.capacity).toBe(99);
    expect(r.capacity_factor).toBeCloseTo(0.99, 12);
    expect(r.drop_share_by_capacity).toHaveLength(101);
  });

  it('rejects a drop rate outside [0, 1)', () => {
    expect(() => capacityFactorForDropRate(4, 4, 3, 1)).toThrow(/dropRate/);
    expect(() => capacityFactorForDropRate(4, 4, 3, -0.1)).toThrow(RangeError);
    expect(capacityFactorForDropRate(4, 4, 3, 0).capacity).toBe(3);
  });
});
