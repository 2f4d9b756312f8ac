/**
 * Routing costs: all-to-all bytes (hand-worked), load imbalance and capacity (seeded
 * simulation checked against hand-worked exact cases and the exact binomial drop share).
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../helpers.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import {
  allToAllBytesPerStep,
  allToAllBytesPerToken,
  binomialPmf,
  capacityFactorForDropRate,
  expectedDropShare,
  loadImbalanceLowerBound,
  moeLayerCount,
  simulateLoadImbalance,
} from '../../src/serving/index.js';

describe('all-to-all bytes', () => {
  // DeepSeek-V3: top-8, hidden 7168, EP 64
  it('bf16 both ways: 2 × 8 × 7168 × 2 × 63/64 = 225,792 bytes per token per MoE layer', () => {
    // 2 × 8 = 16; × 7,168 = 114,688; × 2 bytes = 229,376; / 64 = 3,584; × 63 = 225,792
    expect(allToAllBytesPerToken({ top_k: 8, hidden_size: 7168, ep: 64, dispatch_bytes: 2 })).toBe(225_792);
  });

  it('fp8 dispatch + bf16 combine (as DeepSeek-V3 does): 8 × 7168 × 3 × 63/64 = 169,344', () => {
    // 8 × 7,168 = 57,344; × (1 + 2) = 172,032; / 64 = 2,688; × 63 = 169,344
    expect(allToAllBytesPerToken({ top_k: 8, hidden_size: 7168, ep: 64, dispatch_bytes: 1, combine_bytes: 2 })).toBe(
      169_344,
    );
  });

  it('EP 1 sends nothing; EP 2 sends half the copies', () => {
    expect(allToAllBytesPerToken({ top_k: 2, hidden_size: 4096, ep: 1, dispatch_bytes: 2 })).toBe(0);
    // Mixtral-like: 2 × 2 × 4,096 × 2 × 1/2 = 16,384
    expect(allToAllBytesPerToken({ top_k: 2, hidden_size: 4096, ep: 2, dispatch_bytes: 2 })).toBe(16_384);
    expect(() => allToAllBytesPerToken({ top_k: 2, hidden_size: 4096, ep: 0, dispatch_bytes: 2 })).toThrow(/ep/);
  });

  it('DeepSeek-V3 has 58 MoE layers (61 − 3 dense)', () => {
    const arch = architectureFromHfConfig(presetConfig('deepseek-v3.json'));
    expect(moeLayerCount(arch)).toBe(58);
  });

  it('per step: × tokens × MoE layers', () => {
    // 225,792 × 4 tokens × 58 MoE layers = 225,792 × 232 = 52,383,744
    expect(
      allToAllBytesPerStep({ top_k: 8, hidden_size: 7168, ep: 64, dispatch_bytes: 2, tokens: 4, moe_layers: 58 }),
    ).toBe(52_383_744);
  });
});

describe('binomialPmf', () => {
  it('by hand', () => {
    expect([...binomialPmf(2, 0.5)].map((x) => +x.toFixed(12))).toEqual([0.25, 0.5, 0.25]);
    // Bin(3, 0.1): 0.9³ = 0.729, 3·0.1·0.81 = 0.243, 3·0.01·0.9 = 0.027, 0.001
    expect([...binomialPmf(3, 0.1)].map((x) => +x.toFixed(12))).toEqual([0.729, 0.243, 0.027, 0.001]);
    expect([...binomialPmf(3, 1)]).toEqual([0, 0, 0, 1]);
  });

  it('sums to 1 and has mean n·p for a large n (no underflow)', () => {
    const n = 100_000;
    const p = 1 / 32;
    const pmf = binomialPmf(n, p);
    let sum = 0;
    let mean = 0;
    for (let i = 0; i <= n; i++) {
      sum += pmf[i]!;
      mean += i * pmf[i]!;
    }
    expect(sum).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(n * p, 6);
  });
});

describe('load imbalance', () => {
  it('E = 2, k = 1, B = 2: exact E[max]/mean = 1.5, simulated within 4 SE', () => {
    // loads (2,0), (1,1), (0,2) with probabilities 1/4, 1/2, 1/4: E[max] = 2·¼ + 1·½ + 2·¼ = 1.5;
    // mean load B·k/E = 1
    const s = simulateLoadImbalance(2, 1, 2, 20_000, 1);
    expect(Math.abs(s.mean - 1.5)).toBeLessThanOrEqual(4 * s.se);
    // the independent-binomial lower bound: X, Y iid Bin(2, ½):
    // P(max > 0) = 1 − (¼)² = 15/16, P(max > 1) = 1 − (¾)² = 7/16 → E[max] = 22/16 = 1.375
    expect(loadImbalanceLowerBound(2, 1, 2)).toBeCloseTo(1.375, 12);
  });

  it('k = E: every expert gets every token, ratio exactly 1', () => {
    expect(simulateLoadImbalance(4, 4, 10, 50, 1).mean).toBe(1);
    expect(loadImbalanceLowerBound(4, 4, 10)).toBeCloseTo(1, 12);
  });

  it('many experts: the simulation sits at or above the cited lower bound, and close to it', () => {
    // E = 64, k = 8, B = 256 (mean load 32)
    const s = simulateLoadImbalance(64, 8, 256, 200, 7);
    const bound = loadImbalanceLowerBound(64, 8, 256);
    expect(s.mean).toBeGreaterThanOrEqual(bound - 4 * s.se);
    expect(s.mean - bound).toBeLessThan(0.02); // the fixed total barely couples 64 experts
    expect(bound).toBeGreaterThan(1.3); // the busiest expert gets ~40% more than average
    expect(bound).toBeLessThan(1.5);
  });

  it('deterministic for a seed', () => {
    expect(simulateLoadImbalance(16, 2, 64, 100, 5)).toEqual(simulateLoadImbalance(16, 2, 64, 100, 5));
    expect(simulateLoadImbalance(16, 2, 64, 100, 5).mean).not.toBe(simulateLoadImbalance(16, 2, 64, 100, 6).mean);
  });
});

describe('dropping and capacity', () => {
  it('exact drop share by hand: E = 2, k = 1, B = 2', () => {
    // capacity 1: only the (2,0)/(0,2) outcomes (probability ½) drop one of the 2 assignments → ¼
    expect(expectedDropShare(2, 1, 2, 1)).toBeCloseTo(0.25, 12);
    expect(expectedDropShare(2, 1, 2, 0)).toBeCloseTo(1, 12); // no slots: everything dropped
    expect(expectedDropShare(2, 1, 2, 2)).toBe(0);
  });

  it('capacity factor by hand: E = 2, k = 1, B = 2 (mean load 1)', () => {
    // a drop rate of 1% needs capacity 2 (factor 2); 30% tolerates capacity 1 (share ¼, factor 1)
    expect(capacityFactorForDropRate(2, 1, 2, 0.01, 1, 2000)).toMatchObject({
      capacity: 2,
      capacity_factor: 2,
      drop_share: 0,
    });
    const loose = capacityFactorForDropRate(2, 1, 2, 0.3, 1, 2000);
    expect(loose).toMatchObject({ capacity: 1, capacity_factor: 1 });
    // simulated share per trial is ½ or 0 with probability ½ each: SE = ¼/√2000 = 0.0056
    expect(Math.abs(loose.drop_share - 0.25)).toBeLessThanOrEqual((4 * 0.25) / Math.sqrt(2000));
  });

  it('E = 64, k = 8, B = 256: simulated shares agree with the exact binomial ones; 1% needs factor 1.21875', () => {
    const E = 64;
    const k = 8;
    const B = 256;
    const T = 400;
    const r = capacityFactorForDropRate(E, k, B, 0.01, 3, T);
    // Per trial, dropped = Σ_e max(0, L_e − C), increasing functions of negatively associated loads,
    // so Var ≤ E·Var(max(0, L − C)) with L ~ Bin(B, k/E): a bound on the standard error.
    const pmf = binomialPmf(B, k / E);
    for (let C = 28; C <= 44; C++) {
      let m1 = 0;
      let m2 = 0;
      for (let l = C + 1; l <= B; l++) {
        m1 += (l - C) * pmf[l]!;
        m2 += (l - C) ** 2 * pmf[l]!;
      }
      const seBound = Math.sqrt((E * (m2 - m1 * m1)) / T) / (B * k);
      expect(Math.abs(r.drop_share_by_capacity[C]! - expectedDropShare(E, k, B, C)), `C = ${C}`).toBeLessThanOrEqual(
        4 * seBound,
      );
    }
    // exact: capacity 38 drops 1.14%, capacity 39 drops 0.79% → 39 slots = 39 / (256·8/64 = 32) = 1.21875
    expect(expectedDropShare(E, k, B, 38)).toBeGreaterThan(0.01);
    expect(expectedDropShare(E, k, B, 39)).toBeLessThan(0.01);
    expect(r.capacity).toBe(39);
    expect(r.capacity_factor).toBe(1.21875);
  });

  it('rejects bad input', () => {
    expect(() => capacityFactorForDropRate(8, 2, 16, 1)).toThrow(/dropRate/);
    expect(() => expectedDropShare(8, 2, 16, -1)).toThrow(/capacity/);
    expect(() => simulateLoadImbalance(8, 2, 0)).toThrow(/tokens/);
    expect(() => simulateLoadImbalance(8, 2, 16, 0)).toThrow(/trials/);
  });
});
