import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWith, specFixture, useTempDir } from '../helpers.js';

const tmp = useTempDir('moe-sweep-scale-');

function peakRss(spec: string, out: string): number {
  // One worker: the fewer threads, the less the figure depends on how busy the machine is.
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/measure-rss.ts', spec, '--out', out, '--quiet', '--workers', '1'],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!).maxRssBytes;
}

describe('memory stays bounded as the grid grows', () => {
  it('40x more points costs far less memory than holding per-point state would', () => {
    // Same axes but expert_params: 250 values (1.6M points) vs 10,000 values (64M points).
    const small = peakRss(specFixture('scale-small'), join(tmp, 'small'));
    const large = peakRss(specFixture('scale-large'), join(tmp, 'large'));
    const summary = JSON.parse(readFileSync(join(tmp, 'large', 'summary.json'), 'utf8'));
    expect(summary.counts.points).toBe(64_000_000);
    // Holding even one 8-byte number per point would add 500 MB on the large grid; what the run keeps
    // per point is one feasibility bit (8 MB). The rest of the difference is the heaps of busier
    // threads growing before they collect: +140 MB from source under tsx on a quiet machine, up to
    // +300 MB with the rest of the suite running beside it.
    expect(large - small).toBeLessThan(400e6);
    expect(large).toBeLessThan(500e6);
  });
});

describe('progress', () => {
  const run = (isTTY: boolean, ...flags: string[]) =>
    cliWith({ isTTY }, specFixture('scale-small'), '--out', join(tmp, `p-${isTTY}-${flags.join('')}`), ...flags);

  it('a terminal gets a progress line on stderr; stdout is the same as without one', async () => {
    const tty = await run(true);
    const pipe = await run(false);
    expect(tty.stderr).toMatch(
      /\r\x1b\[2Kevaluating [█░]+ \d+% · [\d.]+[KM]?\/[\d.]+M points · [\d.]+[KM]?\/s · ETA [\d.]+s · [\d,]+ feasible/,
    );
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(pipe.stderr).toBe('');
    expect(tty.stdout.replace(/p-true/g, 'p-false')).toBe(pipe.stdout);
  });

  it('no progress with --quiet or --json', async () => {
    expect((await run(true, '--quiet')).stderr).toBe('');
    expect((await run(true, '--json')).stderr).toBe('');
  });
});
