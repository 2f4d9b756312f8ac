import { describe, expect, it } from 'vitest';
import {
  decodeIndex,
  designAt,
  expandRange,
  gridSize,
  rangeLength,
  skippedCount,
  type GridAxes,
} from '../src/grid/axes.js';

describe('ranges', () => {
  it('is inclusive when the step lands on `to`', () => {
    expect(expandRange({ from: 1, to: 8 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(expandRange({ from: 100_000_000, to: 400_000_000, step: 100_000_000 })).toEqual([1e8, 2e8, 3e8, 4e8]);
  });

  it('stops at the last value not above `to` when the step does not land on it', () => {
    expect(expandRange({ from: 1, to: 10, step: 4 })).toEqual([1, 5, 9]);
    expect(expandRange({ from: 2e9, to: 8.5e9, step: 2e9 })).toEqual([2e9, 4e9, 6e9, 8e9]);
  });

  it('has one value when from equals to', () => {
    expect(expandRange({ from: 7, to: 7, step: 3 })).toEqual([7]);
  });

  it('counts 0.1B steps from 0.1B to 4B as 40 values (no float drift)', () => {
    // (4e9 - 1e8) / 1e8 + 1 = 40
    expect(rangeLength({ from: 1e8, to: 4e9, step: 1e8 })).toBe(40);
    const v = expandRange({ from: 1e8, to: 4e9, step: 1e8 });
    expect(v.at(-1)).toBe(4e9);
    expect(v.every(Number.isInteger)).toBe(true);
  });

  it('expands geometric ranges and stops below `to`', () => {
    expect(expandRange({ from: 8, to: 256, times: 2 })).toEqual([8, 16, 32, 64, 128, 256]);
    expect(expandRange({ from: 8, to: 300, times: 2 })).toEqual([8, 16, 32, 64, 128, 256]);
    expect(rangeLength({ from: 8, to: 256, times: 2 })).toBe(6);
  });

  it('a factor barely above 1 costs one step per distinct value, not one per exponent', () => {
    // 1.000000001^i passes 1.5 (rounding to 2) only near i = 4.05e8: a per-exponent loop never ends.
    expect(expandRange({ from: 1, to: 2, times: 1.000000001 })).toEqual([1, 2]);
    expect(rangeLength({ from: 8, to: 40, times: 1 + 2 ** -52 })).toBe(33); // every whole number 8…40
    expect(rangeLength({ from: 1, to: 4e9, times: 1.0000001 }, 1000)).toBe(1001); // stops counting past the limit
  });

  it('rounds geometric values to whole numbers and drops repeats', () => {
    // 1, 1.5→2, 2.25→2 (repeat, dropped), 3.375→3, 5.0625→5, 7.59→8
    expect(expandRange({ from: 1, to: 8, times: 1.5 })).toEqual([1, 2, 3, 5, 8]);
    expect(rangeLength({ from: 1, to: 8, times: 1.5 })).toBe(5);
  });
});

describe('mixed-radix grid', () => {
  const axes: GridAxes = { experts: [4, 8], top_k: [1, 2, 8], expert_params: [10, 20], shared_params: [100, 200, 300] };

  it('has the product of the axis lengths as its size', () => {
    expect(gridSize(axes)).toBe(2 * 3 * 2 * 3);
  });

  it('decodes with shared_params fastest and experts slowest', () => {
    expect(designAt(axes, 0)).toEqual({ experts: 4, top_k: 1, expert_params: 10, shared_params: 100 });
    expect(designAt(axes, 1)).toEqual({ experts: 4, top_k: 1, expert_params: 10, shared_params: 200 });
    expect(designAt(axes, 3)).toEqual({ experts: 4, top_k: 1, expert_params: 20, shared_params: 100 });
    expect(designAt(axes, 6)).toEqual({ experts: 4, top_k: 2, expert_params: 10, shared_params: 100 });
    expect(designAt(axes, 18)).toEqual({ experts: 8, top_k: 1, expert_params: 10, shared_params: 100 });
    expect(designAt(axes, 35)).toEqual({ experts: 8, top_k: 8, expert_params: 20, shared_params: 300 });
  });

  it('decodes every index to a distinct point', () => {
    const seen = new Set<string>();
    for (let i = 0; i < gridSize(axes); i++) seen.add(JSON.stringify(decodeIndex(axes, i)));
    expect(seen.size).toBe(36);
  });

  it('counts points with top_k > experts as skipped: (4, 8) is the only such pair, × 2 × 3', () => {
    expect(skippedCount(axes)).toBe(6);
  });
});
