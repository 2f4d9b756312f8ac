// Design metrics and constraint masks on hand-worked designs.
import { DESIGN_SLOT_COUNT, SLOT } from '../src/metrics/registry.js';
import { describe, expect, it } from 'vitest';
import { assertConstraintCount, violationMask, violationNames, type Constraint } from '../src/metrics/constraints.js';
import { computeMetrics, isMetricId, metricsFromVector } from '../src/metrics/design.js';

describe('computeMetrics', () => {
  it('8 experts of 1 B, top-2, 2 B shared, bf16, 10% overhead', () => {
    // total 2 + 8·1 = 10 B; active 2 + 2·1 = 4 B; ratio 0.4; sparsity 1 − 2/8 = 0.75; saving 0.6
    // FLOPs 2 × 4 B = 8e9; weights 10 B × 2 bytes = 20 GB; vram round(20 GB × 1.1) = 22 GB
    const m = computeMetrics({ experts: 8, top_k: 2, expert_params: 1e9, shared_params: 2e9 }, 2, 0.1);
    expect(m.total_params).toBe(10e9);
    expect(m.active_params).toBe(4e9);
    expect(m.active_ratio).toBeCloseTo(0.4, 12);
    expect(m.expert_sparsity).toBe(0.75);
    expect(m.compute_saving).toBeCloseTo(0.6, 12);
    expect(m.flops_per_token).toBe(8e9);
    expect(m.weight_bytes).toBe(20e9);
    expect(m.vram_bytes).toBe(22e9);
  });

  it('Mixtral 8x7B: 46.7 B total and 12.9 B active', () => {
    // Mistral AI, "Mixtral of experts" (2023): 46.7B total, 12.9B used per token, top-2 of 8.
    // shared + 8x = 46.7, shared + 2x = 12.9 → x = 33.8/6 = 5.6333 B, shared = 1.6333 B
    const x = 33.8e9 / 6;
    const m = computeMetrics({ experts: 8, top_k: 2, expert_params: x, shared_params: 12.9e9 - 2 * x }, 2);
    expect(m.total_params).toBeCloseTo(46.7e9, -3);
    expect(m.active_params).toBeCloseTo(12.9e9, -3);
    expect(m.vram_bytes).toBe(Math.round(2 * m.total_params)); // no overhead by default
  });

  it('rounds vram to whole bytes', () => {
    // total 1 + 3·1 = 4 params; 4 × 0.5625 bytes = 2.25 → 2
    const m = computeMetrics({ experts: 3, top_k: 1, expert_params: 1, shared_params: 1 }, 0.5625);
    expect(m.weight_bytes).toBe(2.25);
    expect(m.vram_bytes).toBe(2);
  });

  it('reads a vector at an offset in METRICS order', () => {
    const v = new Float64Array(2 + DESIGN_SLOT_COUNT).map((_, i) => i);
    const m = metricsFromVector(v, 2);
    expect(m.total_params).toBe(2);
    expect(m.vram_bytes).toBe(2 + SLOT.vram_bytes);
    expect(DESIGN_SLOT_COUNT).toBe(8);
  });

  it('knows its metric ids', () => {
    expect(isMetricId('active_params')).toBe(true);
    expect(isMetricId('toString')).toBe(false);
    expect(isMetricId('kv_cache_bytes')).toBe(false);
  });
});

describe('constraints', () => {
  const cs: Constraint[] = [
    { name: 'a', metric: 0, min: 1, max: 2 },
    { name: 'b', metric: 1, min: 0, max: 10 },
    { name: 'c', metric: 0, min: -Infinity, max: 1.5 },
  ];

  it('passes values exactly at min and max', () => {
    // offset 1: metric 0 is v[1], metric 1 is v[2]
    expect(violationMask(cs.slice(0, 2), new Float64Array([99, 1, 10]), 1)).toBe(0);
    expect(violationMask(cs.slice(0, 2), new Float64Array([99, 2, 0]), 1)).toBe(0);
  });

  it('sets bit i for the i-th failing constraint', () => {
    // v[0] = 2.5: a fails (> 2) → bit 0, c fails (> 1.5) → bit 2; v[1] = 11: b fails → bit 1
    expect(violationMask(cs, new Float64Array([2.5, 5]), 0)).toBe(0b101);
    expect(violationMask(cs, new Float64Array([0.5, 11]), 0)).toBe(0b011);
    expect(violationNames(cs, 0b101)).toEqual(['a', 'c']);
    expect(violationNames(cs, 0b010)).toEqual(['b']);
    expect(violationNames(cs, 0)).toEqual([]);
  });

  it('allows one constraint per metric plus vram', () => {
    // min(31, DESIGN_SLOT_COUNT + 1) = 9
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `x${i}`, metric: 0, min: 0, max: 1 }));
    expect(() => assertConstraintCount(many(9))).not.toThrow();
    expect(() => assertConstraintCount(many(10))).toThrow('too many constraints');
  });
});
