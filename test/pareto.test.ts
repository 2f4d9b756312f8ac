import { describe, expect, it } from 'vitest';
import { paretoFront } from '../src/evaluate/pareto.js';
import { mulberry32 } from '../src/math/random.js';

/** The definition, O(n²): i is on the front when no j is ≤ in every objective and < in one. */
function bruteForce(cols: number[][], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let dominated = false;
    for (let j = 0; j < n && !dominated; j++) {
      if (i === j) continue;
      let allLe = true;
      let oneLt = false;
      for (const c of cols) {
        if (c[j]! > c[i]!) allLe = false;
        if (c[j]! < c[i]!) oneLt = true;
      }
      dominated = allLe && oneLt;
    }
    if (!dominated) out.push(i);
  }
  return out;
}

const rng = mulberry32; // seeded, so failures reproduce

describe('Pareto front', () => {
  it('hand-worked 2-D case', () => {
    // points (a, b): (1,5) (2,3) (3,4) (4,1) (2,3) (5,5)
    // (3,4) is dominated by (2,3); (5,5) by everything; the duplicate (2,3) pair are both on the front.
    const a = [1, 2, 3, 4, 2, 5];
    const b = [5, 3, 4, 1, 3, 5];
    expect([...paretoFront([a, b], 6)]).toEqual([0, 1, 3, 4]);
  });

  it('a point equal in one objective and worse in the other is dominated', () => {
    expect([
      ...paretoFront(
        [
          [1, 1],
          [2, 3],
        ],
        2,
      ),
    ]).toEqual([0]);
    expect([
      ...paretoFront(
        [
          [1, 2],
          [3, 3],
        ],
        2,
      ),
    ]).toEqual([0]);
  });

  it('empty and single inputs', () => {
    expect([...paretoFront([[], []], 0)]).toEqual([]);
    expect([...paretoFront([[7], [7]], 1)]).toEqual([0]);
  });

  for (const [dims, values] of [
    [2, 1000],
    [2, 7],
    [3, 1000],
    [3, 5],
    [4, 6],
  ] as const) {
    it(`matches brute force on 200 random sets of ${dims} objectives (values from ${values} levels, so ties occur)`, () => {
      const random = rng(dims * 1000 + values);
      for (let trial = 0; trial < 200; trial++) {
        const n = 1 + Math.floor(random() * 120);
        const cols = Array.from({ length: dims }, () => Array.from({ length: n }, () => Math.floor(random() * values)));
        expect([...paretoFront(cols, n)], `trial ${trial}`).toEqual(bruteForce(cols, n));
      }
    });
  }

  it('three objectives on 2,000 points with many ties, against brute force', () => {
    const random = rng(42);
    const n = 2000;
    const cols = Array.from({ length: 3 }, () => Array.from({ length: n }, () => Math.floor(random() * 40)));
    expect([...paretoFront(cols, n)]).toEqual(bruteForce(cols, n));
  });

  it('NaN ranks worst instead of stalling the sweep', () => {
    expect([
      ...paretoFront(
        [
          [1, NaN, 2],
          [3, 1, 1],
        ],
        3,
      ),
    ]).toEqual([0, 2]);
    expect([
      ...paretoFront(
        [
          [NaN, NaN],
          [1, 2],
        ],
        2,
      ),
    ]).toEqual([0]);
  });

  it('one objective keeps every point at the minimum', () => {
    expect([...paretoFront([[3, 1, 2, 1]], 4)]).toEqual([1, 3]);
  });
});
