import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotation } from '../src/output/annotations.js';
import { junitXml, xmlEscape } from '../src/output/junit.js';
import { parseSpec } from '../src/spec/load.js';
import { runSweepSync } from '../src/sweep/run.js';
import { cliWith, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-ci-');
const cli = (env: Record<string, string>, ...argv: string[]) => cliWith({ env }, ...argv);

describe('--reporter junit', () => {
  it('one test case per named design and one for the grid; failures name the constraints', async () => {
    const out = join(tmp, 'junit');
    const r = await cli(
      {},
      'test/fixtures/specs/exit1-named-design-over-vram.yaml',
      '--out',
      out,
      '--reporter',
      'junit',
      '--quiet',
    );
    expect(r.code).toBe(1);
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="moe-sweep" tests="3" failures="1"/,
    );
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('name="design too-big meets the constraints"');
    expect(xml).toMatch(
      /<failure message="fails vram 310 GB &gt; budget 80 GB \(total 129B, active 5B, vram 310 GB\) at test\/fixtures\/specs\/exit1-named-design-over-vram.yaml:12"/,
    );
    expect(xml).toContain(
      'name="grid has a feasible design" file="test/fixtures/specs/exit1-named-design-over-vram.yaml" time="0"></testcase>',
    );
  });

  it('escapes names, and a grid without feasible designs is a failure', () => {
    const spec = parseSpec(
      'grid: {experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}\nconstraints: {active_params: {min: 1T}}\ndesigns: [{name: "<a & \\"b\\">", experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}]\n',
      'x.yaml',
    );
    const xml = junitXml(runSweepSync(spec), 0.5);
    expect(xml).toContain('name="design &lt;a &amp; &quot;b&quot;&gt; meets the constraints"');
    expect(xml).toContain('failures="2"');
    expect(xml).toContain('none of 1 grid designs is feasible; failing each constraint: active_params 1');
    expect(xmlEscape('a\u0000b\u001bc')).toBe('abc');
  });
});

describe('GitHub Actions annotations', () => {
  it('put each failing design on its line of the spec', async () => {
    const r = await cli(
      { GITHUB_ACTIONS: 'true' },
      'test/fixtures/specs/exit1-named-design-over-vram.yaml',
      '--out',
      join(tmp, 'gha'),
      '--quiet',
    );
    expect(r.stdout).toBe(
      '::error file=test/fixtures/specs/exit1-named-design-over-vram.yaml,line=12::moe-sweep: design too-big fails vram 310 GB > budget 80 GB\n',
    );
  });

  it('and a grid with no feasible design on the grid line', async () => {
    const r = await cli(
      { GITHUB_ACTIONS: 'true' },
      'test/fixtures/specs/exit1-no-feasible-design.yaml',
      '--out',
      join(tmp, 'gha2'),
      '--quiet',
    );
    expect(r.stdout).toBe(
      '::error file=test/fixtures/specs/exit1-no-feasible-design.yaml,line=3::moe-sweep: no grid design is feasible (8 evaluated)\n',
    );
  });

  it('bad input gets an annotation at its line and column, still one line on stderr', async () => {
    const r = await cli(
      { GITHUB_ACTIONS: 'true' },
      'test/fixtures/specs/exit2-bad-unit.yaml',
      '--out',
      join(tmp, 'gha3'),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error file=test\/fixtures\/specs\/exit2-bad-unit.yaml,line=5,col=23::/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('nothing extra outside GitHub Actions', async () => {
    const r = await cli(
      {},
      'test/fixtures/specs/exit1-named-design-over-vram.yaml',
      '--out',
      join(tmp, 'plain'),
      '--quiet',
    );
    expect(r.stdout).toBe('');
  });

  it('escapes workflow-command syntax in messages and properties', () => {
    expect(annotation('a,b:c.yaml', 3, 'x%y\nz')).toBe('::error file=a%2Cb%3Ac.yaml,line=3::x%25y%0Az\n');
  });
});
