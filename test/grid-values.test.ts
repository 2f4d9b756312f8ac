// Values of the grid's ranges and index decoding, worked out by hand (arithmetic in the comments).
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

describe('geometric ranges', () => {
  it('rounds each value and drops repeats: 1 × 1.5^i up to 5', () => {
    // 1, 1.5→2, 2.25→2 (repeat), 3.375→3, 5.0625→5, 7.59 > 5 stops
    expect(expandRange({ from: 1, to: 5, times: 1.5 })).toEqual([1, 2, 3, 5]);
    expect(rangeLength({ from: 1, to: 5, times: 1.5 })).toBe(4);
  });

  it('keeps a rounded value equal to `to` and drops one just above it', () => {
    // 10, 15, 22.5 → Math.round gives 23
    expect(expandRange({ from: 10, to: 23, times: 1.5 })).toEqual([10, 15, 23]);
    expect(expandRange({ from: 10, to: 22, times: 1.5 })).toEqual([10, 15]);
  });

  it('stops counting one past the limit', () => {
    // 1, 2, 4, …, 512: ten values; with limit 3 counting stops at the 4th value
    expect(rangeLength({ from: 1, to: 1000, times: 2 })).toBe(10);
    expect(rangeLength({ from: 1, to: 1000, times: 2 }, 3)).toBe(4);
    expect(rangeLength({ from: 1, to: 1000, times: 2 }, 10)).toBe(10);
  });

  it('steps over exponents that cannot change the rounded value (factor 1.001 from 1 to 3)', () => {
    // 1.001^i rounds to 1 up to i = 405 (ln 1.5 / ln 1.001 = 405.7), to 2 up to i = 916 (ln 2.5 / ln 1.001 = 916.7),
    // to 3 up to i = 1253 (ln 3.5 / ln 1.001 = 1253.4), then to 4 > 3:
    // three distinct values, whatever number of exponents lies in between.
    expect(expandRange({ from: 1, to: 3, times: 1.001 })).toEqual([1, 2, 3]);
  });
});

describe('arithmetic ranges', () => {
  it('defaults the step to 1', () => {
    expect(expandRange({ from: 3, to: 6 })).toEqual([3, 4, 5, 6]);
    expect(rangeLength({ from: 3, to: 6 })).toBe(4);
  });

  it('keeps `to` when decimal steps land on it: 0.1 to 0.3 by 0.1 is 3 values', () => {
    // (0.3 − 0.1) / 0.1 is 1.9999999999999998 in binary; the tolerance makes it 2, so 2 + 1 = 3
    expect(rangeLength({ from: 0.1, to: 0.3, step: 0.1 })).toBe(3);
    expect(expandRange({ from: 0.1, to: 0.3, step: 0.1 })).toHaveLength(3);
  });

  it('has no values when `to` is below `from`', () => {
    // floor((1 − 5) / 1) + 1 = −3: no loop iteration
    expect(expandRange({ from: 5, to: 1 })).toEqual([]);
  });
});

describe('grid size, skipped points and decoding', () => {
  const axes: GridAxes = {
    experts: [2, 4],
    top_k: [1, 2, 4],
    expert_params: [1e8, 2e8, 3e8, 4e8],
    shared_params: [1e9, 2e9, 3e9, 4e9, 5e9],
  };

  it('multiplies the axis lengths: 2 × 3 × 4 × 5 = 120', () => {
    expect(gridSize(axes)).toBe(120);
  });

  it('skips top_k > experts only (top_k = experts is a design)', () => {
    // (experts, top_k) pairs with k > e: (2, 4) only; (2, 2) and (4, 4) are kept. 1 pair × 4 × 5 = 20
    expect(skippedCount(axes)).toBe(20);
    expect(skippedCount({ ...axes, experts: [1], top_k: [1, 2, 3] })).toBe(2 * 4 * 5);
  });

  it('decodes an index in mixed radix, experts outermost and shared_params fastest', () => {
    // index = ((e·3 + k)·4 + x)·5 + s
    // e=1, k=0, x=2, s=1: ((3 + 0)·4 + 2)·5 + 1 = 71
    expect(decodeIndex(axes, 71)).toEqual({ experts: 1, top_k: 0, expert_params: 2, shared_params: 1 });
    // the last point: ((3 + 2)·4 + 3)·5 + 4 = 119
    expect(decodeIndex(axes, 119)).toEqual({ experts: 1, top_k: 2, expert_params: 3, shared_params: 4 });
    // e=0, k=1, x=3, s=2: ((0 + 1)·4 + 3)·5 + 2 = 37
    expect(decodeIndex(axes, 37)).toEqual({ experts: 0, top_k: 1, expert_params: 3, shared_params: 2 });
    expect(designAt(axes, 37)).toEqual({ experts: 2, top_k: 2, expert_params: 4e8, shared_params: 3e9 });
  });
});
