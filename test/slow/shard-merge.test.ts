// Three shards of a 307,200-point sweep, run with 1 and 2 workers, merged back into the outputs of a
// single run (the shard ranges themselves are unit-tested in test/shard.test.ts).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliWith, specFixture, useTempDir } from '../helpers.js';

const tmp = useTempDir('moe-sweep-shard-');
const cli = (...argv: string[]) => cliWith({ cwd: tmp }, ...argv);
const SPEC = join(process.cwd(), specFixture('determinism'));

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
