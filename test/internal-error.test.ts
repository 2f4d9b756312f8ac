import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, specFixture, useTempDir } from './helpers.js';

// A failure the user did not cause (a worker that dies, a bug) must exit 3 with one line, and leave
// the previous report as it was.
let crash = false;
vi.mock('../src/output/report/html.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/output/report/html.js')>();
  return {
    ...real,
    renderReport: async (...args: Parameters<typeof real.renderReport>) => {
      if (crash) throw new TypeError('simulated crash while rendering');
      return real.renderReport(...args);
    },
  };
});

const tmp = useTempDir('moe-sweep-internal-');

describe('internal errors', () => {
  it('exit 3, one line naming the problem, and the report folder left as it was', async () => {
    const out = join(tmp, 'report');
    expect((await cli(specFixture('exit0-all-pass'), '--out', out, '--quiet')).code).toBe(0);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    crash = true;
    const r = await cli(specFixture('exit1-named-design-over-vram'), '--out', out, '--quiet');
    crash = false;
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'moe-sweep: internal error: simulated crash while rendering (rerun with --debug for details)\n',
    );
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(before);
    expect(readdirSync(tmp)).toEqual(['report']); // no temporary folder left beside it
  });

  it('--debug adds the stack', async () => {
    crash = true;
    const r = await cli(specFixture('exit0-all-pass'), '--out', join(tmp, 'debug'), '--quiet', '--debug');
    crash = false;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
