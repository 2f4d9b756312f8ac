/**
 * Decode bounds. Expected values are worked by hand; the distinct-experts formula is also checked
 * against a seeded Monte-Carlo simulation with a tolerance of 4 standard errors.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregateHardware,
  decodeBounds,
  decodeStepBytes,
  expectedDistinctExperts,
  resolveGpu,
  saturationBatch,
  simulateDistinctExperts,
  type DecodeModel,
} from '../../src/serving/index.js';
import { loadGpuCatalogue } from '../../src/catalog/gpus.js';

describe('expectedDistinctExperts', () => {
  it('by hand', () => {
    // B = 1: exactly k
    expect(expectedDistinctExperts(8, 2, 1)).toBeCloseTo(2, 12);
    // E = 8, k = 2, B = 4: 8 × (1 − (3/4)^4) = 8 × (1 − 81/256) = 8 × 175/256 = 175/32 = 5.46875
    expect(expectedDistinctExperts(8, 2, 4)).toBeCloseTo(5.46875, 12);
    // B = 0 touches nothing; k = E touches everything
    expect(expectedDistinctExperts(8, 2, 0)).toBe(0);
    expect(expectedDistinctExperts(8, 8, 3)).toBe(8);
    // E = 256, k = 8, B = 64: 256 × (1 − (31/32)^64); (31/32)^64 = e^(64 ln(31/32)) = e^(−2.031917) = 0.131084
    // → 256 × 0.868916 = 222.4425
    expect(expectedDistinctExperts(256, 8, 64)).toBeCloseTo(222.4425, 3);
  });

  it('matches a seeded Monte-Carlo simulation within 4 standard errors', () => {
    // The touched indicators 1{load_e > 0} are increasing functions of negatively associated
    // loads (see routing.ts), so Var(distinct) ≤ E·q(1 − q) with q = (1 − k/E)^B, and the
    // standard error of T trials is at most sqrt(E·q(1 − q)/T). 4 of them: false alarm < 1e-4.
    for (const [E, k, B, T, seed] of [
      [8, 2, 4, 20_000, 1],
      [256, 8, 64, 2_000, 2],
      [64, 6, 16, 5_000, 3],
    ] as const) {
      const sim = simulateDistinctExperts(E, k, B, T, seed);
      const q = (1 - k / E) ** B;
      const seBound = Math.sqrt((E * q * (1 - q)) / T);
      expect(sim.se, `${E}/${k}/${B}: sample SE within the bound`).toBeLessThanOrEqual(seBound * 1.05);
      expect(Math.abs(sim.mean - expectedDistinctExperts(E, k, B)), `${E}/${k}/${B}`).toBeLessThanOrEqual(4 * seBound);
    }
  });

  it('the simulation is deterministic for a seed', () => {
    expect(simulateDistinctExperts(32, 4, 8, 500, 42)).toEqual(simulateDistinctExperts(32, 4, 8, 500, 42));
    expect(simulateDistinctExperts(32, 4, 8, 500, 42).mean).not.toBe(simulateDistinctExperts(32, 4, 8, 500, 43).mean);
  });
});

describe('saturationBatch', () => {
  it('by hand', () => {
    // E = 8, k = 2: need (3/4)^B ≤ 0.01: ln 0.01 / ln 0.75 = 16.008 → 17
    // (0.75^16 = 0.010023 > 0.01, 0.75^17 = 0.007517)
    expect(saturationBatch(8, 2)).toBe(17);
    // DeepSeek-V3, E = 256, k = 8: ln 0.01 / ln(31/32) = 145.05 → 146
    // ((31/32)^145 = 0.010016, (31/32)^146 = 0.009703)
    expect(saturationBatch(256, 8)).toBe(146);
    // gpt-oss, E = 128, k = 4: the same k/E = 1/32 → 146
    expect(saturationBatch(128, 4)).toBe(146);
    // E = 64, k = 8: ln 0.01 / ln(7/8) = 34.49 → 35
    expect(saturationBatch(64, 8)).toBe(35);
    // fraction 0.5, E = 8, k = 2: 0.75^B ≤ 0.5 → B ≥ 2.41 → 3 (0.75^2 = 0.5625, 0.75^3 = 0.421875)
    expect(saturationBatch(8, 2, 0.5)).toBe(3);
    expect(saturationBatch(8, 8)).toBe(1);
  });

  it('is the smallest such batch', () => {
    for (const [E, k, f] of [
      [256, 8, 0.99],
      [160, 6, 0.9],
      [384, 8, 0.999],
    ] as const) {
      const b = saturationBatch(E, k, f);
      expect(expectedDistinctExperts(E, k, b) / E).toBeGreaterThanOrEqual(f);
      expect(expectedDistinctExperts(E, k, b - 1) / E).toBeLessThan(f);
    }
  });

  it('rejects bad input', () => {
    expect(() => saturationBatch(8, 2, 1)).toThrow(/fraction/);
    expect(() => saturationBatch(8, 9)).toThrow(/top_k/);
    expect(() => saturationBatch(0, 1)).toThrow(/experts/);
  });
});

describe('decode bounds', () => {
  // toy: 8 experts of 1 GB (all layers), top-2, 1 GB shared, 1.5B active parameters
  const toy: DecodeModel = {
    num_experts: 8,
    top_k: 2,
    shared_bytes: 1e9,
    routed_expert_bytes: 8e9,
    active_params: 1.5e9,
  };

  it('bytes per step: shared + distinct experts + KV', () => {
    // B = 4: 5.46875 of 8 experts → 5.46875 GB; + 1 GB shared + 0.5 GB KV = 6.96875 GB
    const s = decodeStepBytes(toy, 4, 0.5e9);
    expect(s.expert_bytes).toBeCloseTo(5.46875e9, 0);
    expect(s.total_bytes).toBeCloseTo(6.96875e9, 0);
    // B = 1 reads exactly the active experts: 1 + 2 = 3 GB
    expect(decodeStepBytes(toy, 1, 0).total_bytes).toBeCloseTo(3e9, 0);
  });

  it('bandwidth-bound at small batch', () => {
    const b = decodeBounds(toy, 4, 0.5e9, { bandwidth_bytes_per_s: 1e12, flops_per_s: 1e14 });
    // bandwidth: 1e12 × 4 / 6.96875e9 = 4000 / 6.96875 = 4000 × 32/223 = 128,000/223 ≈ 573.99 tokens/s
    expect(b.bandwidth_tokens_per_s).toBeCloseTo(128_000 / 223, 9);
    // compute: 1e14 / (2 × 1.5e9) = 33,333.3 tokens/s
    expect(b.compute_tokens_per_s).toBeCloseTo(1e14 / 3e9, 6);
    expect(b.binding).toBe('bandwidth');
    expect(b.tokens_per_s).toBe(b.bandwidth_tokens_per_s);
  });

  it('compute-bound at large batch, where the step reads every expert ("costs like its total")', () => {
    const b = decodeBounds(toy, 4096, 0, { bandwidth_bytes_per_s: 1e12, flops_per_s: 1e12 });
    // (3/4)^4096 ≈ e^-1178: all 8 experts are read → 9 GB per step
    expect(b.total_bytes).toBe(9e9);
    // bandwidth: 4096e12 / 9e9 = 455,111.1; compute: 1e12 / 3e9 = 333.3 → compute binds
    expect(b.bandwidth_tokens_per_s).toBeCloseTo(4096e12 / 9e9, 6);
    expect(b.compute_tokens_per_s).toBeCloseTo(1000 / 3, 9);
    expect(b.binding).toBe('compute');
    expect(b.tokens_per_s).toBe(b.compute_tokens_per_s);
  });

  it('past saturationBatch a step reads ≥ 99% of all routed experts', () => {
    const B = saturationBatch(8, 2); // 17
    expect(decodeStepBytes(toy, B, 0).expert_bytes).toBeGreaterThanOrEqual(0.99 * 8e9);
    expect(decodeStepBytes(toy, B - 1, 0).expert_bytes).toBeLessThan(0.99 * 8e9);
  });

  it('flops_per_token overrides 2 × active', () => {
    const b = decodeBounds({ ...toy, flops_per_token: 4e9 }, 1, 0, { bandwidth_bytes_per_s: 1e12, flops_per_s: 1e12 });
    expect(b.compute_tokens_per_s).toBe(250); // 1e12 / 4e9
  });

  it('aggregate hardware from the catalogue', () => {
    // 8 × H200: 8 × 4.8 TB/s = 38.4 TB/s; 8 × 989.5 TFLOPS = 7,916 TFLOPS dense BF16
    const hw = aggregateHardware(resolveGpu('H200', loadGpuCatalogue()), 8);
    expect(hw.bandwidth_bytes_per_s).toBeCloseTo(38.4e12, -3);
    expect(hw.flops_per_s).toBeCloseTo(7916e12, -3);
    expect(aggregateHardware(resolveGpu('H200', loadGpuCatalogue()), 8, 'fp8').flops_per_s).toBeCloseTo(15_832e12, -3); // 8 × 1,979
    expect(() => aggregateHardware(resolveGpu('A100-80GB', loadGpuCatalogue()), 1, 'fp8')).toThrow(
      /A100-80GB has no fp8/,
    );
    expect(() => decodeBounds(toy, 0, 0, hw)).toThrow(/batch/);
  });
});
