// Pareto fronts of small point sets worked out by hand, for each of the 1-, 2-, 3- and many-objective paths.
import { describe, expect, it } from 'vitest';
import { paretoFront } from '../src/evaluate/pareto.js';

const front = (cols: number[][], n = cols[0]!.length) => [...paretoFront(cols, n)];

describe('paretoFront', () => {
  it('is empty for no points', () => {
    expect(front([[1, 2]], 0)).toEqual([]);
  });

  it('one objective: every point at the minimum', () => {
    expect(front([[3, 1, 2, 1]])).toEqual([1, 3]);
    // the minimum first and a larger value last
    expect(front([[1, 3, 2]])).toEqual([0]);
  });

  it('only looks at the first n points', () => {
    // point 2 (value 0) is beyond n = 2
    expect(front([[3, 1, 0]], 2)).toEqual([1]);
    // point 2 ties the minimum of the first two but is beyond n
    expect(front([[3, 1, 1]], 2)).toEqual([1]);
  });

  it('two objectives', () => {
    // p0 (1,5)  p1 (2,3)  p2 (3,1)  p3 (1,5) copy of p0  p4 (2,4) dominated by p1
    // p5 (1,6) dominated by p0 (same a)  p6 (4,1) dominated by p2 (same b)
    const a = [1, 2, 3, 1, 2, 1, 4];
    const b = [5, 3, 1, 5, 4, 6, 1];
    expect(front([a, b])).toEqual([0, 1, 2, 3]);
  });

  it('two objectives, the order of the input does not matter', () => {
    // p0 (3,1)  p1 (2,2)  p2 (1,3)  p3 (3,3) dominated by all three
    expect(
      front([
        [3, 2, 1, 3],
        [1, 2, 3, 3],
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('three objectives', () => {
    // p0 (1,1,3)  p1 (1,2,1)  p2 (2,1,2)  p3 (2,2,2) dominated by p2  p4 (1,1,3) copy of p0
    // p5 (3,3,3) dominated by p0  p6 (0,5,5)  p7 (1,2,1) copy of p1  p8 (1,1,4) dominated by p0 (same a, b)
    const a = [1, 1, 2, 2, 1, 3, 0, 1, 1];
    const b = [1, 2, 1, 2, 1, 3, 5, 2, 1];
    const c = [3, 1, 2, 2, 3, 3, 5, 1, 4];
    expect(front([a, b, c])).toEqual([0, 1, 2, 4, 6, 7]);
  });

  it('three objectives: a point beaten in b and c by an earlier point with a larger b rank', () => {
    // p0 (0,3,0): least a.  p1 (1,1,1), p2 (2,2,2): p2 is dominated by p1 (1≤2, 1≤2, 1≤2),
    // p3 (3,4,0) dominated by p0 (0≤3, 3≤4, 0≤0).  p4 (4,0,9) has the least b.
    const a = [0, 1, 2, 3, 4];
    const b = [3, 1, 2, 4, 0];
    const c = [0, 1, 2, 0, 9];
    expect(front([a, b, c])).toEqual([0, 1, 4]);
  });

  it('four objectives', () => {
    // p0 (1,1,1,2) dominated by p1 (1,1,1,1)  p2 (0,2,2,2)  p3 (2,0,2,2)  p4 copy of p1
    // p5 (2,2,2,2) dominated by p1
    const cols = [
      [1, 1, 0, 2, 1, 2],
      [1, 1, 2, 0, 1, 2],
      [1, 1, 2, 2, 1, 2],
      [2, 1, 2, 2, 1, 2],
    ];
    expect(front(cols)).toEqual([1, 2, 3, 4]);
  });

  it('ranks NaN worst', () => {
    // NaN → +∞: p0 (∞, 0) is not dominated by p1 (1, 1); p0 (∞, 1) is
    expect(
      front([
        [Number.NaN, 1],
        [0, 1],
      ]),
    ).toEqual([0, 1]);
    expect(
      front([
        [Number.NaN, 1],
        [1, 1],
      ]),
    ).toEqual([1]);
    expect(front([[Number.NaN, 2, Number.NaN]])).toEqual([1]);
    expect(
      front([
        [Number.NaN, 1, 1],
        [1, 1, 1],
        [1, 1, 2],
      ]),
    ).toEqual([1]);
  });
});
