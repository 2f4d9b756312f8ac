// The uniform router and the estimate helper on hand-traced inputs.
import { describe, expect, it } from 'vitest';
import { UniformRouter, checkTrials, estimate } from '../../src/serving/random.js';

describe('UniformRouter', () => {
  it('with rand() = 0 keeps the identity permutation', () => {
    // j = i + floor(0 × (E − i)) = i: every swap is a no-op
    const r = new UniformRouter(4, 2, () => 0);
    expect([...r.route()]).toEqual([0, 1]);
    expect([...r.route()]).toEqual([0, 1]);
  });

  it('with rand() = 0.999 swaps with the last place, and the permutation carries over between calls', () => {
    // call 1 from [0,1,2,3]: i=0, j = 0 + floor(0.999·4) = 3 → [3,1,2,0]; i=1, j = 1 + floor(0.999·3) = 3 → [3,0,2,1]
    // call 2 from [3,0,2,1]: i=0, j=3 → [1,0,2,3]; i=1, j=3 → [1,3,2,0]
    const r = new UniformRouter(4, 2, () => 0.999);
    expect([...r.route()]).toEqual([3, 0]);
    expect([...r.route()]).toEqual([1, 3]);
  });

  it('returns k experts, all of them when k = E', () => {
    const r = new UniformRouter(3, 3, () => 0.5);
    // i=0: j = floor(1.5) = 1 → [1,0,2]; i=1: j = 1 + floor(1) = 2 → [1,2,0]; i=2: j = 2 + 0 → [1,2,0]
    expect([...r.route()]).toEqual([1, 2, 0]);
  });

  it('rejects E and k out of range', () => {
    const rand = () => 0;
    expect(() => new UniformRouter(0, 1, rand)).toThrow('experts must be an integer >= 1, got 0');
    expect(() => new UniformRouter(2.5, 1, rand)).toThrow(RangeError);
    expect(() => new UniformRouter(4, 0, rand)).toThrow(RangeError);
    expect(() => new UniformRouter(4, 5, rand)).toThrow(/1\.\.4/);
    expect(() => new UniformRouter(4, 1.5, rand)).toThrow(RangeError);
    expect(() => new UniformRouter(1, 1, rand)).not.toThrow();
    expect(() => new UniformRouter(4, 4, rand)).not.toThrow();
  });
});

describe('estimate', () => {
  it('mean, sample sd and standard error of 1, 2, 3, 4', () => {
    // mean 2.5; squares of deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; sd = √(5/3) = 1.2909944; se = sd/√4
    const e = estimate([1, 2, 3, 4]);
    expect(e.mean).toBe(2.5);
    expect(e.sd).toBeCloseTo(1.2909944487, 9);
    expect(e.se).toBeCloseTo(0.6454972244, 9);
    expect(e.trials).toBe(4);
  });

  it('a single value has sd 0', () => {
    expect(estimate([5])).toEqual({ mean: 5, sd: 0, se: 0, trials: 1 });
  });

  it('two values: sd uses n − 1', () => {
    // mean 3; (1 + 1) / 1 = 2; sd = √2; se = √2/√2 = 1
    const e = estimate(new Float64Array([2, 4]));
    expect(e.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(e.se).toBeCloseTo(1, 12);
  });
});

describe('checkTrials', () => {
  it('accepts whole numbers from 1', () => {
    expect(() => checkTrials(1)).not.toThrow();
    expect(() => checkTrials(0)).toThrow(/trials must be an integer >= 1, got 0/);
    expect(() => checkTrials(2.5)).toThrow(RangeError);
  });
});
