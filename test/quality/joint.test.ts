/**
 * The joint MoE law of Ludziejewski et al. (2025, arXiv:2502.05172) against the paper's own
 * numbers: Eq. 4 worked by hand, Appendix B Table 4 (the law reduced to fixed E) and Table 1
 * (compute-optimal allocations).
 */
import { describe, expect, it } from 'vitest';
import {
  computeOptimal,
  computeOptimalClosedForm,
  eHat,
  fixedExpertCoefficients,
  goldenSectionMin,
  jointLoss,
} from '../../src/quality/index.js';
import { loadScalingLaws } from '../../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

const k = loadScalingLaws().joint_moe.coefficients;

describe('Ê (Eq. 4)', () => {
  it('maps dense, E = 1, to Ê = E_start, not to 1', () => {
    // 1/Ê = 1/(0 + (1/E_start − 1/E_max)^−1) + 1/E_max = (1/E_start − 1/E_max) + 1/E_max = 1/E_start
    expect(eHat(1, laws)).toBeCloseTo(2.0732, 12);
    expect(eHat(1, laws)).toBeCloseTo(k.e_start, 12);
  });

  it('E = 2 and E = 8 by hand', () => {
    // 1/E_start = 1/2.0732 = 0.4823461; 1/E_max = 1/290.4521 = 0.0034429
    // K = (0.4823461 − 0.0034429)^−1 = 1/0.4789032 = 2.0881045
    // E = 2: 1/Ê = 1/(1 + 2.0881045) + 0.0034429 = 0.3238233 + 0.0034429 = 0.3272662 → Ê = 3.05563
    // E = 8: 1/Ê = 1/(7 + 2.0881045) + 0.0034429 = 0.1100340 + 0.0034429 = 0.1134769 → Ê = 8.81236
    expect(eHat(2, laws)).toBeCloseTo(3.05563, 4);
    expect(eHat(8, laws)).toBeCloseTo(8.8124, 3);
  });

  it('is increasing and saturates at E_max', () => {
    const es = [1, 1.5, 2, 4, 8, 16, 32, 64, 1e3, 1e6].map((e) => eHat(e, laws));
    for (let i = 1; i < es.length; i++) expect(es[i]).toBeGreaterThan(es[i - 1] as number);
    expect(eHat(1e12, laws)).toBeCloseTo(k.e_max, 6);
    expect(() => eHat(0.5, laws)).toThrow(RangeError);
  });
});

describe('the law reduced to fixed E reproduces Appendix B, Table 4', () => {
  // Table 4 of arXiv:2502.05172: m, µ, n, ν for E = 1 … 32 (c = 1.3637 throughout).
  const table4: [number, number, number, number, number][] = [
    [1, 30.364, -0.1817, 53.9838, -0.1965],
    [2, 27.7982, -0.178, 66.8401, -0.2065],
    [4, 24.8462, -0.1731, 87.7022, -0.2192],
    [8, 21.833, -0.1676, 119.9126, -0.2338],
    [16, 19.0159, -0.1617, 167.5073, -0.2494],
    [32, 16.5424, -0.1557, 234.6726, -0.2652],
  ];
  // Tolerances: Table 3 prints coefficients to 4 decimals, so exponents can only be matched to
  // ~1e-4 and prefactors to a few tenths of a percent (the E = 1 row is the worst, 0.26 % on n).
  it.each(table4)('E = %d', (e, m, mu, n, nu) => {
    const f = fixedExpertCoefficients(e, laws);
    expect(Math.abs(f.m / m - 1)).toBeLessThan(0.005);
    expect(Math.abs(f.n / n - 1)).toBeLessThan(0.005);
    expect(Math.abs(f.mu - mu)).toBeLessThan(2e-4);
    expect(Math.abs(f.nu - nu)).toBeLessThan(2e-4);
    expect(f.c).toBe(1.3637);
  });

  it('the dense case is the E = 1 row, which a naive Ê = 1 would miss', () => {
    // With Ê = 1 (ln Ê = 0) the law would give m = a = 35.91 and µ = α = −0.1889 — not Table 4.
    const f = fixedExpertCoefficients(1, laws);
    expect(Math.abs(f.m - k.a)).toBeGreaterThan(5);
    expect(Math.abs(f.mu - k.alpha)).toBeGreaterThan(0.007);
    // At N = 1e9, D = 2e10 the naive version is off by ~0.037 nats, twice the law's max held-out error.
    const naive = k.a * 1e9 ** k.alpha + k.b * 2e10 ** k.beta + k.c;
    expect(Math.abs(jointLoss(1e9, 2e10, 1, laws) - naive)).toBeGreaterThan(0.03);
  });
});

describe('jointLoss', () => {
  it('is the sum of the Table 4 terms, by hand at N = 1e9, D = 2e10, E = 1', () => {
    // m·N^µ = 30.3993·e^(−0.18175·20.72327) = 30.3993·e^(−3.76645) = 30.3993·0.023131 = 0.70317
    // n·D^ν = 53.8434·e^(−0.19638·23.71900) = 53.8434·e^(−4.65791) = 53.8434·0.009484 = 0.51069
    // L = 0.70317 + 0.51069 + 1.3637 = 2.5776
    expect(jointLoss(1e9, 2e10, 1, laws)).toBeCloseTo(2.5776, 3);
  });

  it('falls with N, D and (at these sizes) E', () => {
    expect(jointLoss(2e9, 2e10, 1, laws)).toBeLessThan(jointLoss(1e9, 2e10, 1, laws));
    expect(jointLoss(1e9, 4e10, 1, laws)).toBeLessThan(jointLoss(1e9, 2e10, 1, laws));
    expect(jointLoss(1e9, 2e10, 8, laws)).toBeLessThan(jointLoss(1e9, 2e10, 1, laws));
  });

  it('rejects non-positive sizes', () => {
    expect(() => jointLoss(0, 1e9, 1, laws)).toThrow(RangeError);
    expect(() => jointLoss(1e9, Number.NaN, 1, laws)).toThrow(RangeError);
  });
});

describe('computeOptimal reproduces Table 1 (compute-optimal N_act, D)', () => {
  // Table 1 of arXiv:2502.05172 as printed: [budget, E, N_act, D].
  const table1: [string, number, string, string][] = [
    ['1e20', 1, '1.7B', '9.7B'],
    ['1e20', 2, '1.5B', '11.4B'],
    ['1e20', 4, '1.2B', '13.9B'],
    ['1e20', 8, '990M', '17B'],
    ['1e20', 16, '810M', '20.7B'],
    ['1e20', 32, '669M', '24.9B'],
    ['1e21', 1, '5.7B', '29.3B'],
    ['1e21', 2, '5B', '33B'],
    ['1e21', 4, '4.4B', '38B'],
    ['1e21', 8, '3.8B', '44.3B'],
    ['1e21', 16, '3.3B', '51.2B'],
    ['1e21', 32, '2.85B', '58.4B'],
    ['1e22', 1, '18.8B', '88.6B'],
    ['1e22', 2, '17.4B', '96B'],
    ['1e22', 4, '15.8B', '105.4B'],
    ['1e22', 8, '14.4B', '115.8B'],
    ['1e22', 16, '13.2B', '126.5B'],
    ['1e22', 32, '12.2B', '136.9B'],
  ];

  /**
   * Tolerance per entry = half a unit in the last printed digit, relative to the value (the
   * table's own rounding: 2.9 % for "1.7B", 0.07 % for "669M"), plus 1 % for Table 3 printing
   * exponents to 4 decimals (a 5e-5 shift in an exponent moves N_opt by ~0.6 % at these budgets).
   */
  function parsePrinted(s: string): { value: number; tolerance: number } {
    const m = /^(\d+)(?:\.(\d+))?([MB])$/.exec(s);
    if (!m) throw new Error(`bad table entry ${s}`);
    const unit = m[3] === 'B' ? 1e9 : 1e6;
    const value = Number(`${m[1]}.${m[2] ?? '0'}`) * unit;
    const halfUnit = 0.5 * 10 ** -(m[2]?.length ?? 0) * unit;
    return { value, tolerance: halfUnit / value + 0.01 };
  }

  it.each(table1)('F = %s, E = %d → N_act %s, D %s', (budget, e, nPrinted, dPrinted) => {
    const flops = Number(budget);
    const opt = computeOptimal(flops, e, laws);
    const n = parsePrinted(nPrinted);
    const d = parsePrinted(dPrinted);
    expect(Math.abs(opt.activeParams / n.value - 1)).toBeLessThan(n.tolerance);
    expect(Math.abs(opt.tokens / d.value - 1)).toBeLessThan(d.tolerance);
    expect(6 * opt.activeParams * opt.tokens).toBeCloseTo(flops, -Math.log10(flops) + 9);
  });

  it('the three headline checks at 1e20 FLOPs are within 2 %', () => {
    const cases: [number, number, number][] = [
      [1, 1.7e9, 9.7e9],
      [8, 990e6, 17e9],
      [32, 669e6, 24.9e9],
    ];
    for (const [e, n, d] of cases) {
      const opt = computeOptimal(1e20, e, laws);
      expect(Math.abs(opt.activeParams / n - 1)).toBeLessThan(0.02);
      expect(Math.abs(opt.tokens / d - 1)).toBeLessThan(0.02);
    }
  });

  it('agrees with the closed form (Hoffmann Eq. 4 with α = −µ, β = −ν)', () => {
    for (const f of [1e18, 1e20, 1e22, 1e24]) {
      for (const e of [1, 3, 8, 32]) {
        const a = computeOptimal(f, e, laws);
        const b = computeOptimalClosedForm(f, e, laws);
        expect(a.activeParams / b.activeParams).toBeCloseTo(1, 6);
        expect(a.loss).toBeCloseTo(b.loss, 10);
      }
    }
  });

  it('more experts → fewer active parameters, more tokens, lower loss (Findings 1 and 2)', () => {
    const opts = [1, 2, 4, 8, 16, 32].map((e) => computeOptimal(1e21, e, laws));
    for (let i = 1; i < opts.length; i++) {
      const [prev, cur] = [opts[i - 1]!, opts[i]!];
      expect(cur.activeParams).toBeLessThan(prev.activeParams);
      expect(cur.tokens).toBeGreaterThan(prev.tokens);
      expect(cur.loss).toBeLessThan(prev.loss);
    }
  });

  it('golden-section search finds the minimum of a convex function', () => {
    expect(goldenSectionMin((x) => (x - 1.234) ** 2, -10, 10)).toBeCloseTo(1.234, 9);
  });
});
