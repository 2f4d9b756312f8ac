// Pareto fronts over objectives that are all to be minimised (callers negate "max" objectives).
// A point is on the front when no other point is at least as good in every objective and strictly
// better in one; exact duplicates of a front point are all on the front.

/**
 * Positions (ascending) of the non-dominated points. `cols[j][i]` is objective j of point i.
 * Two objectives: one sort and one sweep, O(n log n). More: sort by the first objective, then check
 * each point only against the front found so far, O(n · front size).
 */
export function paretoFront(cols: readonly ArrayLike<number>[], n: number): Uint32Array {
  if (n === 0) return new Uint32Array(0);
  if (cols.length === 1) return frontOne(cols[0]!, n);
  if (cols.length === 2) return frontTwo(cols[0]!, cols[1]!, n);
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
