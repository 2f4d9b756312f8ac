// The grid is never materialised: a point is its index, decoded in mixed radix over the axes
// (experts outermost, shared_params fastest), so any slice of it can be evaluated anywhere.

export const AXES = ['experts', 'top_k', 'expert_params', 'shared_params'] as const;
export type AxisName = (typeof AXES)[number];
export type GridAxes = Record<AxisName, number[]>;

export interface RangeSpec {
  from: number;
  to: number;
  step?: number;
  times?: number;
}

/**
 * The values of a geometric range, rounded to whole numbers with repeats dropped. Jumps straight to
 * the next exponent that can change the rounded value, so a factor barely above 1 costs one step per
 * distinct value, not one per exponent; stops counting past `limit`.
 */
function geometric(r: RangeSpec & { times: number }, limit: number, out?: number[]): number {
  let count = 0;
  let prev = NaN;
  const lnTimes = Math.log(r.times);
  for (let i = 0; ; ) {
    const v = Math.round(r.from * r.times ** i);
    if (v > r.to) break;
    if (v !== prev) {
      if (++count > limit) return count;
      out?.push(v);
      prev = v;
    }
    // The first exponent whose value rounds above v, less one for floating-point slack.
    const next = Math.ceil(Math.log((v + 0.5) / r.from) / lnTimes) - 1;
    i = Math.max(i + 1, next);
  }
  return count;
}

/** How many values a range has, counted before any array exists (stops counting past `limit`). */
export function rangeLength(r: RangeSpec, limit = Infinity): number {
  if (r.times !== undefined) return geometric({ ...r, times: r.times }, limit);
  const step = r.step ?? 1;
  // A tiny tolerance so that 0.1 steps that land on `to` in decimal are not lost to binary rounding.
  return Math.floor((r.to - r.from) / step + 1e-9) + 1;
}

export function expandRange(r: RangeSpec): number[] {
  if (r.times !== undefined) {
    const out: number[] = [];
    geometric({ ...r, times: r.times }, Infinity, out);
    return out;
  }
  const step = r.step ?? 1;
  const n = rangeLength(r);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.from + i * step);
  return out;
}

export function gridSize(axes: GridAxes): number {
  return AXES.reduce((n, a) => n * axes[a].length, 1);
}

/** Points with top_k > experts are not designs; they are counted as skipped, never evaluated. */
export function skippedCount(axes: GridAxes): number {
  let pairs = 0;
  for (const e of axes.experts) for (const k of axes.top_k) if (k > e) pairs++;
  return pairs * axes.expert_params.length * axes.shared_params.length;
}

export interface PointIndices {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
}

export function decodeIndex(axes: GridAxes, index: number): PointIndices {
  const ns = axes.shared_params.length;
  const nx = axes.expert_params.length;
  const nk = axes.top_k.length;
  let rest = index;
  const s = rest % ns;
  rest = (rest - s) / ns;
  const x = rest % nx;
  rest = (rest - x) / nx;
  const k = rest % nk;
  const e = (rest - k) / nk;
  return { experts: e, top_k: k, expert_params: x, shared_params: s };
}

export function designAt(axes: GridAxes, index: number) {
  const i = decodeIndex(axes, index);
  return {
    experts: axes.experts[i.experts]!,
    top_k: axes.top_k[i.top_k]!,
    expert_params: axes.expert_params[i.expert_params]!,
    shared_params: axes.shared_params[i.shared_params]!,
  };
}
