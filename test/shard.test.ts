// Shard ranges and the --shard flag; shards of a real sweep merged back are in test/slow/shard-merge.test.ts.
import { describe, expect, it } from 'vitest';
import { parseShard, shardRange } from '../src/output/shard.js';

describe('shard ranges', () => {
  it('cover the grid exactly once, in order, as equal as integers allow', () => {
    for (const [points, n] of [
      [10, 3],
      [7, 7],
      [5, 8],
      [307_200, 3],
    ] as const) {
      const ranges = Array.from({ length: n }, (_, i) => shardRange(points, { index: i, count: n }));
      expect(ranges[0]![0]).toBe(0);
      expect(ranges.at(-1)![1]).toBe(points);
      ranges.slice(1).forEach((r, i) => expect(r[0]).toBe(ranges[i]![1]));
      const sizes = ranges.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
  it('--shard takes I/N with 0 ≤ I < N', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['8/8', '1/0', '-1/4', 'a/b', '1', '1/2/3'])
      expect(() => parseShard(bad)).toThrow(/^--shard: expected I\/N/);
  });
});
