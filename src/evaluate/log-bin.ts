// Plot bins by value: the bin of binOf(log10(v)) without the logarithm for most values, for the
// kernels' hot loops.
import { binOf } from './binner.js';

/**
 * binOf(log10(v), lo, hi, n) without the logarithm for most values: the bin edges in linear space,
 * each narrowed by a relative 1e-9 (far more than the rounding of log10 and of the bin arithmetic),
 * are searched, and a value inside a narrowed bin gets the bin binOf gives it. A value near an edge
 * (or not a positive number) goes through binOf itself. The last bin found is tried first.
 */
export class LogBin {
  /** Bin i holds the values in [low[i], high[i]) for sure. */
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private last = 0;

  constructor(
    private readonly lo: number,
    private readonly hi: number,
    private readonly n: number,
  ) {
    this.low = new Float64Array(n);
    this.high = new Float64Array(n);
    if (!(hi > lo)) {
      this.low.fill(Number.NaN); // never inside: binOf answers
      this.high.fill(Number.NaN);
      return;
    }
    const width = (hi - lo) / n;
    for (let i = 0; i < n; i++) {
      // bin 0 from 0 up (binOf(log10(0)) is bin 0; a negative value's logarithm is NaN)
      this.low[i] = i === 0 ? 0 : 10 ** (lo + i * width) * (1 + 1e-9);
      this.high[i] = i === n - 1 ? Infinity : 10 ** (lo + (i + 1) * width) * (1 - 1e-9);
    }
  }

  of(v: number): number {
    const { low, high } = this;
    let i = this.last;
    if (v >= low[i]! && v < high[i]!) return i;
    // the last bin whose narrowed start is at most v
    let a = 0;
    let b = this.n - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (low[mid]! <= v) a = mid;
      else b = mid - 1;
    }
    i = a;
    if (v >= low[i]! && v < high[i]!) {
      this.last = i;
      return i;
    }
    return binOf(Math.log10(v), this.lo, this.hi, this.n);
  }
}
