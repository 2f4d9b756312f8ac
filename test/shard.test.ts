import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/program.js';
import { parseShard, shardRange } from '../src/output/shard.js';

const tmp = mkdtempSync(join(tmpdir(), 'moe-sweep-shard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    cwd: tmp,
    env: {},
  };
  return { code: await main(argv, io), stdout, stderr };
}
const SPEC = join(process.cwd(), 'test/fixtures/specs/determinism.yaml');

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

describe('shards and merge', () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await cli(SPEC, '--shard', `${i}/3`, '--out', `s${i}`, '--workers', String(1 + (i % 2)), '--quiet')).code,
      ).toBe(0);
    expect((await cli(SPEC, '--out', 'single', '--quiet')).code).toBe(0);
  });

  it('merging 3 shards writes the CSV and report of a single run, byte for byte', async () => {
    const r = await cli('merge', 's2', 's0', 's1', '--out', 'merged', '--quiet');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    for (const f of ['results.csv', 'report.html'])
      expect(readFileSync(join(tmp, 'merged', f)).equals(readFileSync(join(tmp, 'single', f))), f).toBe(true);
    const [m, s] = ['merged', 'single'].map((d) => JSON.parse(readFileSync(join(tmp, d, 'summary.json'), 'utf8')));
    for (const key of ['counts', 'constraints', 'designs', 'front', 'csv', 'verdict'])
      expect(m[key], key).toEqual(s[key]);
  });

  it('a shard writes its own rows and a shard result, and no report', () => {
    const csv = readFileSync(join(tmp, 's1', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    const shard = JSON.parse(readFileSync(join(tmp, 's1', 'shard.json'), 'utf8'));
    expect(shard.shard).toMatchObject({ index: 1, count: 3, start: 102_400, end: 204_800, grid_points: 307_200 });
    expect(csv.length - 1).toBe(1 + shard.chunks.reduce((n: number, c: { evaluated: number }) => n + c.evaluated, 0)); // + the named design
    expect(() => readFileSync(join(tmp, 's1', 'report.html'))).toThrow();
  });

  it('refuses an incomplete set, a repeated shard, a shard of another spec, and a folder that is no shard', async () => {
    expect(await cli('merge', 's0', 's2', '--out', 'x')).toMatchObject({
      code: 2,
      stderr: 'merge: incomplete set: missing shard 1/3\n',
    });
    expect(await cli('merge', 's0', 's1', 's1', 's2', '--out', 'x')).toMatchObject({
      code: 2,
      stderr: 'merge: shard 1/3 is given twice (s1 and s1)\n',
    });
    cpSync(join(tmp, 's1'), join(tmp, 'other'), { recursive: true });
    const shard = JSON.parse(readFileSync(join(tmp, 'other', 'shard.json'), 'utf8'));
    shard.spec.sha256 = 'f'.repeat(64);
    writeFileSync(join(tmp, 'other', 'shard.json'), JSON.stringify(shard));
    expect((await cli('merge', 's0', 'other', 's2', '--out', 'x')).stderr).toMatch(
      /^merge: other comes from a different spec \(sha256 ffffffffffff…\) than s0/,
    );
    expect((await cli('merge', 'single', '--out', 'x')).stderr).toBe(
      'single: no shard.json here; expected the --out folder of a `moe-sweep SPEC --shard I/N` run\n',
    );
  });
});
