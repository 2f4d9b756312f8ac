/**
 * A small seeded PRNG and the routing sampler used by the simulations, so that every simulated
 * figure is a deterministic function of its seed.
 */

import { mulberry32 } from '../math/random.js';

export { mulberry32 };

/**
 * Routes tokens to `k` distinct experts out of `E`, uniformly: a partial Fisher–Yates shuffle of a
 * permutation kept between calls. Shuffling the first k places of ANY permutation yields a
 * uniformly random ordered k-subset, so the array never needs resetting.
 */
export class UniformRouter {
  private readonly perm: Int32Array;
  constructor(
    readonly E: number,
    readonly k: number,
    private readonly rand: () => number,
  ) {
    if (!Number.isInteger(E) || E < 1) throw new RangeError(`experts must be an integer >= 1, got ${E}`);
    if (!Number.isInteger(k) || k < 1 || k > E) throw new RangeError(`top_k must be an integer in 1..${E}, got ${k}`);
    this.perm = new Int32Array(E);
    for (let i = 0; i < E; i++) this.perm[i] = i;
  }

  /** Draw one token's experts; they are perm[0..k-1] after the call (returned array is a live view). */
  route(): Int32Array {
    const p = this.perm;
    for (let i = 0; i < this.k; i++) {
      const j = i + Math.floor(this.rand() * (this.E - i));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p.subarray(0, this.k);
  }
}

/** Mean, sample standard deviation and standard error of the mean. */
export interface Estimate {
  mean: number;
  sd: number;
  se: number;
  trials: number;
}

export function estimate(values: ArrayLike<number>): Estimate {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { mean, sd, se: sd / Math.sqrt(n), trials: n };
}

export function checkTrials(trials: number): void {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be an integer >= 1, got ${trials}`);
}
