// Pareto fronts over objectives that are all to be minimised (callers negate "max" objectives).
// A point is on the front when no other point is at least as good in every objective and strictly
// better in one; exact duplicates of a front point are all on the front.
import type { Growable } from './growable.js';

/**
 * Positions (ascending) of the non-dominated points. `cols[j][i]` is objective j of point i.
 * Two objectives: one sort and one sweep, O(n log n). Three: a sort and a Fenwick tree of running
 * minima, O(n log n) (Kung, Luccio & Preparata 1975). More: sort, then check each point only against
 * the front found so far, O(n · front size).
 */
export function paretoFront(cols: readonly ArrayLike<number>[], n: number): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  // NaN compares false with everything, which would stall the sweeps below: rank it worst.
  cols = cols.map((c) =>
    Array.prototype.some.call(c, Number.isNaN)
      ? Float64Array.from(c as ArrayLike<number>, (x) => (Number.isNaN(x) ? Infinity : x))
      : c,
  );
  if (cols.length === 1) return frontOne(cols[0]!, n);
  if (cols.length === 2) return frontTwo(cols[0]!, cols[1]!, n);
  if (cols.length === 3) return frontThree(cols[0]!, cols[1]!, cols[2]!, n);
  return frontMany(cols, n);
}

function sortedOrder(cols: readonly ArrayLike<number>[], n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((p, q) => {
    for (const c of cols) {
      const d = c[p]! - c[q]!;
      if (d !== 0) return d;
    }
    return p - q;
  });
  return order;
}

function frontOne(a: ArrayLike<number>, n: number): Uint32Array {
  let best = Infinity;
  for (let i = 0; i < n; i++) if (a[i]! < best) best = a[i]!;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (a[i] === best) out.push(i);
  return Uint32Array.from(out);
}

function frontTwo(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Uint32Array {
  const order = sortedOrder([a, b], n);
  const out: number[] = [];
  // minBefore: the smallest b among points with a strictly smaller a (they dominate anything with b ≥ it).
  let minBefore = Infinity;
  let i = 0;
  while (i < n) {
    const groupA = a[order[i]!]!;
    const groupMinB = b[order[i]!]!; // sorted by b within equal a
    let j = i;
    while (j < n && a[order[j]!] === groupA) {
      const p = order[j]!;
      if (b[p] === groupMinB && groupMinB < minBefore) out.push(p);
      j++;
    }
    if (groupMinB < minBefore) minBefore = groupMinB;
    i = j;
  }
  return Uint32Array.from(out).sort();
}

function frontThree(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, n: number): Uint32Array {
  // In lexicographic (a, b, c) order, every earlier point q has a_q ≤ a_p, so p is dominated exactly
  // when some earlier point that is not identical to p has b_q ≤ b_p and c_q ≤ c_p. A Fenwick tree
  // over the ranks of b keeps the least c seen so far for each prefix of ranks. Identical points are
  // queried together before any of them is inserted, so copies of a front point all stay on it.
  const order = sortedOrder([a, b, c], n);
  const bValues = Float64Array.from({ length: n }, (_, i) => b[i]!).sort();
  const rankOf = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bValues[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1; // 1-based; equal values share the rank of their first occurrence
  };
  const tree = new Float64Array(n + 1).fill(Infinity);
  const insert = (rank: number, v: number) => {
    for (let i = rank; i <= n; i += i & -i) if (v < tree[i]!) tree[i] = v;
  };
  const prefixMin = (rank: number) => {
    let m = Infinity;
    for (let i = rank; i > 0; i -= i & -i) if (tree[i]! < m) m = tree[i]!;
    return m;
  };
  const out: number[] = [];
  let i = 0;
  while (i < n) {
    const p = order[i]!;
    let j = i + 1;
    while (j < n && a[order[j]!] === a[p] && b[order[j]!] === b[p] && c[order[j]!] === c[p]) j++;
    const rank = rankOf(b[p]!);
    if (!(prefixMin(rank) <= c[p]!)) for (let g = i; g < j; g++) out.push(order[g]!);
    insert(rank, c[p]!);
    i = j;
  }
  return Uint32Array.from(out).sort();
}

function dominates(cols: readonly ArrayLike<number>[], p: number, q: number): boolean {
  let strictly = false;
  for (const c of cols) {
    const d = c[p]! - c[q]!;
    if (d > 0) return false;
    if (d < 0) strictly = true;
  }
  return strictly;
}

function frontMany(cols: readonly ArrayLike<number>[], n: number): Uint32Array {
  // After a lexicographic sort no point can be dominated by one that comes later, so the front found
  // so far is all a point needs to be checked against.
  const order = sortedOrder(cols, n);
  const front: number[] = [];
  for (const p of order) {
    if (!front.some((q) => dominates(cols, q, p))) front.push(p);
  }
  return Uint32Array.from(front).sort();
}

/** The Pareto front of a slice's feasible candidates: their grid indices and (signed) objective values, row-major. */
export function localFront(candIndex: Growable, candObj: Growable[]): [Float64Array, Float64Array] {
  const nObj = candObj.length;
  const cols = candObj.map((g) => g.data);
  const front = paretoFront(cols, candIndex.length);
  const frontIndex = new Float64Array(front.length);
  const frontObjectives = new Float64Array(front.length * nObj);
  for (let i = 0; i < front.length; i++) {
    const p = front[i]!;
    frontIndex[i] = candIndex.data[p]!;
    for (let j = 0; j < nObj; j++) frontObjectives[i * nObj + j] = cols[j]![p]!;
  }
  return [frontIndex, frontObjectives];
}
