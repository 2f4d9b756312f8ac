/**
 * Intervals: hand-worked cases (zero standard errors, one normal parameter, the pivot point),
 * determinism for a seed, overlap logic, and speed.
 */
import { describe, expect, it } from 'vitest';
import {
  drawEpochParameters,
  indistinguishable,
  jointLoss,
  lossInterval,
  mulberry32,
  normalSource,
  parseScalingLaws,
  quantile,
  type ScalingLaws,
} from '../../src/quality/index.js';
import { loadScalingLaws } from '../../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

function withErrors(se: Partial<ScalingLaws['epoch_chinchilla']['standard_errors']>): ScalingLaws {
  const doc = structuredClone(loadScalingLaws()) as ScalingLaws;
  const zero = { E: 0, A: 0, B: 0, alpha: 0, beta: 0 };
  return parseScalingLaws({
    ...doc,
    epoch_chinchilla: { ...doc.epoch_chinchilla, standard_errors: { ...zero, ...se } },
  });
}

describe('quantile (type 7)', () => {
  it('by hand', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(quantile(xs, 0)).toBe(1);
    expect(quantile(xs, 0.5)).toBe(3);
    expect(quantile(xs, 0.1)).toBeCloseTo(1.4, 12); // h = 4·0.1 = 0.4 → 1 + 0.4·(2 − 1)
    expect(quantile(xs, 0.95)).toBeCloseTo(4.8, 12); // h = 3.8 → 4 + 0.8·(5 − 4)
    expect(quantile(xs, 1)).toBe(5);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});

describe('random numbers', () => {
  it('are deterministic for a seed and differ between seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const u of sa) expect(u >= 0 && u < 1).toBe(true);
  });

  it('normal deviates have mean ≈ 0 and variance ≈ 1', () => {
    const g = normalSource(mulberry32(123));
    const xs = Array.from({ length: 20000 }, g);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});

describe('lossInterval', () => {
  const N = 1e9;
  const D = 2e10;
  const point = jointLoss(N, D, 8, laws);

  it('with zero standard errors it is the point ± the held-out max error 0.018', () => {
    const laws = withErrors({});
    const i = lossInterval(point, N, D, laws, {});
    expect(i.widenedBy).toBe(0.018);
    expect(i.lo).toBeCloseTo(point - 0.018, 12);
    expect(i.hi).toBeCloseTo(point + 0.018, 12);
  });

  it('with only E uncertain (SE 0.1) the 90 % interval is ≈ point ± (1.645·0.1 + 0.018)', () => {
    // The 5 % and 95 % normal quantiles are ∓1.6449; with 4000 draws the sample quantile has a
    // standard error of √(0.05·0.95/4000)/φ(1.645) ≈ 0.033 in z, i.e. 0.0033 nats here.
    const laws = withErrors({ E: 0.1 });
    const i = lossInterval(point, N, D, laws, { level: 0.9 });
    expect(Math.abs(i.lo - (point - 0.18249))).toBeLessThan(0.012);
    expect(Math.abs(i.hi - (point + 0.18249))).toBeLessThan(0.012);
  });

  it("pivot mode at the centre of Epoch's box leaves only the spread of E", () => {
    // There A_i/N0^α_i = A/N0^α and B_i/D0^β_i = B/D0^β, so each deviation is E_i − E.
    const laws = loadScalingLaws();
    const [nLo, nHi] = laws.epoch_chinchilla.fitted_ranges.params;
    const [dLo, dHi] = laws.epoch_chinchilla.fitted_ranges.tokens;
    const n0 = Math.sqrt(nLo * nHi);
    const d0 = Math.sqrt(dLo * dHi);
    const pivot = lossInterval(2.5, n0, d0, laws, { correlation: 'pivot', seed: 5 });
    const onlyE = lossInterval(2.5, n0, d0, withErrors({ E: 0.02566 }), { correlation: 'independent', seed: 5 });
    expect(pivot.lo).toBeCloseTo(onlyE.lo, 9);
    expect(pivot.hi).toBeCloseTo(onlyE.hi, 9);
  });

  it('independent draws are wider than pivot draws (the conservative default)', () => {
    const ind = lossInterval(point, N, D, laws);
    const piv = lossInterval(point, N, D, laws, { correlation: 'pivot' });
    expect(ind.correlation).toBe('independent');
    expect(ind.hi - ind.lo).toBeGreaterThan(piv.hi - piv.lo);
    for (const i of [ind, piv]) {
      expect(i.lo).toBeLessThan(point);
      expect(i.hi).toBeGreaterThan(point);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = lossInterval(point, N, D, laws, { seed: 11 });
    const b = lossInterval(point, N, D, laws, { seed: 11 });
    const c = lossInterval(point, N, D, laws, { seed: 12 });
    expect(b).toEqual(a);
    expect(c.lo).not.toBe(a.lo);
  });

  it('draws keep A and B positive', () => {
    const d = drawEpochParameters(99, 4000, 'independent', laws);
    expect(Math.min(...d.A)).toBeGreaterThan(0);
    expect(Math.min(...d.B)).toBeGreaterThan(0);
  });

  it('uses the data file defaults: 4000 samples, level 0.9', () => {
    const i = lossInterval(point, N, D, laws);
    expect(i.samples).toBe(4000);
    expect(i.level).toBe(0.9);
    expect(i.seed).toBe(loadScalingLaws().uncertainty.seed);
  });

  it('rejects a bad level', () => {
    expect(() => lossInterval(point, N, D, laws, { level: 1 })).toThrow(RangeError);
  });
});

describe('indistinguishable', () => {
  it.each([
    [{ lo: 2.0, hi: 2.1 }, { lo: 2.05, hi: 2.2 }, true], // overlap
    [{ lo: 2.0, hi: 2.1 }, { lo: 2.1, hi: 2.2 }, true], // touching counts
    [{ lo: 2.0, hi: 2.1 }, { lo: 2.11, hi: 2.2 }, false], // disjoint
    [{ lo: 2.0, hi: 3.0 }, { lo: 2.4, hi: 2.5 }, true], // nested
    [{ lo: 2.3, hi: 2.4 }, { lo: 2.0, hi: 2.2 }, false], // disjoint, other order
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(indistinguishable(a, b)).toBe(expected);
    expect(indistinguishable(b, a)).toBe(expected);
  });

  it('with zero parameter error, predictions 0.04 apart are distinguishable and 0.03 apart are not', () => {
    // Each interval is point ± 0.018: [p − 0.018, p + 0.018] and [p + 0.022, p + 0.058] are disjoint;
    // 0.03 apart they overlap.
    const laws = withErrors({});
    const a = lossInterval(2.5, 1e9, 2e10, laws, {});
    expect(indistinguishable(a, lossInterval(2.54, 1e9, 2e10, laws, {}))).toBe(false);
    expect(indistinguishable(a, lossInterval(2.53, 1e9, 2e10, laws, {}))).toBe(true);
  });
});
