// `--no-report`: the same results.csv and summary.json as a run that draws the report, and no
// report.html; the terminal summary names only the files written.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, specFixture, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-no-report-');

const withoutTimings = (file: string) => {
  const s = JSON.parse(readFileSync(file, 'utf8')) as { timings: unknown };
  s.timings = undefined;
  return s;
};

describe('--no-report', () => {
  for (const spec of [specFixture('four-points'), 'sweeps/mla-one-h200-node.yaml']) {
    it(`${spec}: results.csv and summary.json as with the report, and no report.html`, async () => {
      const name = spec.replace(/\W+/g, '-');
      const full = join(tmp, `${name}-full`);
      const bare = join(tmp, `${name}-bare`);
      const a = await cli(spec, '--out', full, '--workers', '1');
      const b = await cli(spec, '--out', bare, '--workers', '1', '--no-report');
      expect(b.code).toBe(a.code);
      expect(b.stderr).toBe('');
      expect(existsSync(join(full, 'report.html'))).toBe(true);
      expect(existsSync(join(bare, 'report.html'))).toBe(false);
      expect(readFileSync(join(bare, 'results.csv'), 'utf8')).toBe(readFileSync(join(full, 'results.csv'), 'utf8'));
      expect(withoutTimings(join(bare, 'summary.json'))).toStrictEqual(withoutTimings(join(full, 'summary.json')));
      expect(b.stdout).toContain('/summary.json\n');
      expect(b.stdout).not.toContain('report.html');
      expect(a.stdout).toContain('/report.html');
      const timings = JSON.parse(readFileSync(join(bare, 'summary.json'), 'utf8')).timings;
      expect(timings.report_ms).toBe(0);
      expect(timings.report_beside_csv).toBe(false);
    });
  }

  it('leaves a report.html already in the folder as it was (other files are never touched)', async () => {
    const out = join(tmp, 'kept');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'report.html'), 'earlier');
    const r = await cli(specFixture('four-points'), '--out', out, '--no-report', '--quiet');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('earlier');
  });

  it('is listed in the run command help', async () => {
    const r = await cli('run', '--help');
    expect(r.stdout).toMatch(/--no-report\s+write results\.csv and summary\.json only, no report\.html/);
  });
});
