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

/** How many values a range has, or an explanation of why it has none. Computed before any array exists. */
export function rangeLength(r: RangeSpec): number {
  if (r.times !== undefined) {
    let n = 0;
    let prev = NaN;
    for (let i = 0; ; i++) {
      const v = Math.round(r.from * r.times ** i);
      if (v > r.to) break;
      if (v !== prev) n++;
      prev = v;
    }
    return n;
  }
  const step = r.step ?? 1;
  // A tiny tolerance so that 0.1 steps that land on `to` in decimal are not lost to binary rounding.
  return Math.floor((r.to - r.from) / step + 1e-9) + 1;
}

export function expandRange(r: RangeSpec): number[] {
  const out: number[] = [];
  if (r.times !== undefined) {
    for (let i = 0; ; i++) {
      const v = Math.round(r.from * r.times ** i);
      if (v > r.to) break;
      if (v !== out[out.length - 1]) out.push(v);
    }
    return out;
  }
  const step = r.step ?? 1;
  const n = rangeLength(r);
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
